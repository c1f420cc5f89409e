import { describe, expect, test } from "vitest";
import { parse_image_ref, same_image } from "./image-ref.js";

describe("parse_image_ref", () => {
  test("the four spellings of an official image are one image", () => {
    const spellings = ["python:3.11-slim", "library/python:3.11-slim", "docker.io/library/python:3.11-slim", "index.docker.io/library/python:3.11-slim"];
    for (const text of spellings) {
      expect(parse_image_ref(text)).toMatchObject({
        registry: "docker.io",
        repository: "library/python",
        tag: "3.11-slim",
        familiar: "python:3.11-slim",
        canonical: "docker.io/library/python:3.11-slim",
      });
    }
    for (const a of spellings) for (const b of spellings) expect(same_image(a, b)).toBe(true);
  });

  test("no tag means latest, but the tag is not invented", () => {
    const ref = parse_image_ref("node");
    expect(ref?.tag).toBeUndefined();
    expect(ref?.canonical).toBe("docker.io/library/node:latest");
    expect(same_image("node", "node:latest")).toBe(true);
    expect(same_image("node", "node:22")).toBe(false);
  });

  test("a user's image on Docker Hub keeps its namespace", () => {
    expect(parse_image_ref("bitnami/redis:7")).toMatchObject({ repository: "bitnami/redis", familiar: "bitnami/redis:7" });
  });

  test("a registry with a port, a digest, and both tag and digest", () => {
    const digest = "sha256:" + "a".repeat(64);
    expect(parse_image_ref(`localhost:5000/app@${digest}`)).toMatchObject({
      registry: "localhost:5000",
      repository: "app",
      digest,
      familiar: `localhost:5000/app@${digest}`,
      canonical: `localhost:5000/app@${digest}`,
    });
    expect(parse_image_ref("localhost:5000/app")?.tag).toBeUndefined();
    const both = parse_image_ref(`python:3.11-slim@${digest}`);
    expect(both).toMatchObject({ tag: "3.11-slim", digest });
    expect(same_image(`python:3.11-slim@${digest}`, `docker.io/library/python@${digest}`)).toBe(true);
    expect(same_image(`python@${digest}`, "python:3.11-slim")).toBe(false);
  });

  test("other registries are not Docker Hub", () => {
    expect(parse_image_ref("ghcr.io/org/tool:1.2")).toMatchObject({ registry: "ghcr.io", repository: "org/tool", familiar: "ghcr.io/org/tool:1.2" });
    expect(same_image("ghcr.io/library/python:3.11-slim", "python:3.11-slim")).toBe(false);
    expect(parse_image_ref("[::1]:5000/app:1")?.registry).toBe("[::1]:5000");
  });

  test("what Docker would refuse is not a reference", () => {
    for (const text of ["", "Python:3.11", "python:", "${BASE}", "python:3.11 slim", "app@sha256:short"]) {
      expect(parse_image_ref(text), text).toBeUndefined();
    }
    expect(same_image("${BASE}", "${BASE}")).toBe(true);
  });
});
