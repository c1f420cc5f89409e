// The Kubernetes template that grades a class on a cluster
// (templates/cohort-kubernetes/): every object valid against Kubernetes' own
// schemas (kubernetes-models, generated from the API's OpenAPI definitions),
// and what the API server would refuse or the Job would get wrong held here:
// one shard per index, a Docker engine per pod as a sidecar that answers
// before the grader starts, retries per index, the shards' histories on the
// shared volume, every mount of a declared volume, every key of the
// ConfigMap it reads. Its command grading a shard for real is
// cohort-kubernetes.docker.test.ts.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { ConfigMap, PersistentVolumeClaim } from "kubernetes-models/v1";
import { Job } from "kubernetes-models/batch/v1";
import type { IContainer, IPodSpec } from "kubernetes-models/v1";
import { project_root } from "./helpers/cli.js";

const folder = path.join(project_root, "templates", "cohort-kubernetes");
const documents = (file: string): Record<string, unknown>[] =>
  parseAllDocuments(fs.readFileSync(path.join(folder, file), "utf8"))
    .map((d) => d.toJS() as Record<string, unknown> | null)
    .filter((d): d is Record<string, unknown> => d !== null);

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  "v1/ConfigMap": ConfigMap as never,
  "v1/PersistentVolumeClaim": PersistentVolumeClaim as never,
  "batch/v1/Job": Job as never,
};

const grade_docs = documents("grade-job.yaml");
const merge_docs = documents("merge-job.yaml");
const of_kind = <T>(docs: Record<string, unknown>[], kind: string) => docs.filter((d) => d.kind === kind) as T[];
type JobDoc = { metadata: { name: string }; spec: Job["spec"] & object };
const grade = of_kind<JobDoc>(grade_docs, "Job")[0]!;
const merge = of_kind<JobDoc>(merge_docs, "Job")[0]!;
const config = of_kind<{ metadata: { name: string }; data: Record<string, string> }>(grade_docs, "ConfigMap")[0]!;
const claim = of_kind<{ metadata: { name: string } }>(grade_docs, "PersistentVolumeClaim")[0]!;
const pod = grade.spec.template.spec! as IPodSpec;
const container = (spec: IPodSpec, name: string): IContainer => [...(spec.initContainers ?? []), ...spec.containers].find((c) => c.name === name)!;
const env = (c: IContainer, name: string): string | undefined => c.env?.find((e) => e.name === name)?.value;

describe("the Kubernetes template of a class's grading", () => {
  test("every object is valid against Kubernetes' schemas", () => {
    for (const doc of [...grade_docs, ...merge_docs]) {
      const kind = `${doc.apiVersion}/${doc.kind}`;
      const Model = MODELS[kind];
      expect(Model, `a model for ${kind}`).toBeDefined();
      expect(() => new Model!(doc as never).validate(), kind).not.toThrow();
    }
    expect(grade_docs.map((d) => d.kind)).toEqual(["ConfigMap", "PersistentVolumeClaim", "Job"]);
    expect(merge_docs.map((d) => d.kind)).toEqual(["Job"]);
  });

  test("the schemas are really checked: a wrong field value is refused", () => {
    const broken = structuredClone(grade) as unknown as { spec: { completionMode: string } };
    broken.spec.completionMode = "Sharded";
    expect(() => new Job(broken as never).validate()).toThrow(/completionMode/);
  });

  test("an Indexed Job, one shard per index: index i grades shard i+1 of SHARDS, SHARDS equal to its completions", () => {
    expect(grade.spec.completionMode).toBe("Indexed");
    expect(grade.spec.completions).toBeGreaterThan(1);
    expect(grade.spec.parallelism).toBe(grade.spec.completions);
    const grader = container(pod, "grade");
    expect(env(grader, "SHARDS")).toBe(String(grade.spec.completions));
    const script = grader.args!.join("\n");
    expect(script).toContain("shard=$((JOB_COMPLETION_INDEX + 1))");
    expect(script).toMatch(/cohort grade "\$ROSTER" --shard "\$shard\/\$SHARDS" --db "\$work"/);
    // Its history goes to the shared volume, under the name the merge reads.
    expect(script).toContain('db="$STATE/shard-$shard.db"');
    expect(merge.spec.template.spec!.containers[0]!.args!.join("\n")).toContain('cohort merge "$STATE"/shard-*.db --db "$STATE/cohort.db"');
  });

  test("retries per index, not for the whole Job; a disruption is not counted", () => {
    expect(grade.spec.backoffLimitPerIndex).toBeGreaterThanOrEqual(1);
    expect(grade.spec.maxFailedIndexes).toBe(grade.spec.completions);
    // backoffLimitPerIndex and podFailurePolicy need restartPolicy Never.
    expect(pod.restartPolicy).toBe("Never");
    expect(grade.spec.podFailurePolicy!.rules).toContainEqual({ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget" }] });
  });

  test("a Docker engine per pod: a docker:dind sidecar that answers before the grader starts, and that the grader talks to", () => {
    const engine = pod.initContainers![0]!;
    expect(engine.image).toMatch(/^docker:[\d.]+-dind$/);
    expect(engine.restartPolicy).toBe("Always");
    expect(engine.securityContext?.privileged).toBe(true);
    expect(engine.startupProbe?.exec?.command).toEqual(["docker", "-H", "unix:///var/run/dind/docker.sock", "info"]);
    const socket = engine.volumeMounts!.find((m) => m.mountPath === "/var/run/dind")!;
    const grader = container(pod, "grade");
    expect(grader.volumeMounts!.find((m) => m.name === socket.name)!.mountPath).toBe("/var/run/dind");
    expect(env(grader, "DOCKER_HOST")).toBe("unix:///var/run/dind/docker.sock");
    expect(engine.args!.join(" ")).toContain("--host=unix:///var/run/dind/docker.sock");
    // Base images: through a mirror when the ConfigMap names one, else loaded from the seed before the grader starts.
    expect(engine.args!.join(" ")).toContain('${REGISTRY_MIRROR:+--registry-mirror="$REGISTRY_MIRROR"}');
    const seed = container(pod, "base-images");
    expect(seed.restartPolicy).toBeUndefined();
    expect(seed.args!.join(" ")).toContain("docker load -i /cohort/seed/base-images.tar");
  });

  test("every mount is of a declared volume, every ConfigMap key and claim it names exists", () => {
    for (const spec of [pod, merge.spec.template.spec! as IPodSpec]) {
      const volumes = new Set((spec.volumes ?? []).map((v) => v.name));
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        for (const mount of c.volumeMounts ?? []) expect(volumes, `${c.name} mounts ${mount.name}`).toContain(mount.name);
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.configMapKeyRef;
          if (ref) expect(config.data, `${c.name}: ${e.name}`).toHaveProperty([ref.key]);
          if (ref) expect(ref.name).toBe(config.metadata.name);
        }
      }
      for (const volume of spec.volumes ?? []) {
        if (volume.persistentVolumeClaim) expect(volume.persistentVolumeClaim.claimName).toBe(claim.metadata.name);
        if (volume.configMap) {
          expect(volume.configMap.name).toBe(config.metadata.name);
          for (const item of volume.configMap.items ?? []) expect(config.data).toHaveProperty([item.key]);
        }
      }
    }
    // The roster is read where it is mounted.
    const grader = container(pod, "grade");
    const roster = grader.volumeMounts!.find((m) => m.name === "roster")!;
    expect(env(grader, "ROSTER")).toBe(`${roster.mountPath}/cohort.yaml`);
    expect(env(grader, "STATE")!.startsWith(grader.volumeMounts!.find((m) => m.name === "cohort")!.mountPath)).toBe(true);
  });
});
