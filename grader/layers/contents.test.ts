// A layer's tar read into entries: the names Docker's Go writer produces
// (PAX records, GNU long names), links, folders, whiteouts; and what is not a
// tar (a JSON blob of an OCI export) told apart.
import { describe, expect, test } from "vitest";
import { TarLister } from "./contents.js";

describe("a layer's tar", () => {
  test("the tar reader: long names (PAX), links, folders, and something that is not a tar", () => {
    const header = (name: string, type: string, size: number, magic = "ustar\u000000"): Buffer => {
      const b = Buffer.alloc(512);
      b.write(name.slice(0, 100), 0, "utf8");
      b.write(size.toString(8).padStart(11, "0"), 124, "latin1");
      b.write(type, 156, "latin1");
      b.write(magic, 257, "latin1");
      return b;
    };
    const long = "deep/" + "x".repeat(150) + "/file.txt";
    const record = ` path=${long}\n`;
    const pax = `${record.length + String(record.length + 3).length}${record}`;
    const body = Buffer.alloc(512);
    body.write(pax);
    const data = Buffer.alloc(512, 0x61);
    const tar = Buffer.concat([
      header("deep/", "5", 0),
      header("PaxHeader", "x", Buffer.byteLength(pax)),
      body,
      header("ignored-short-name", "0", 3),
      data,
      header("deep/link", "2", 0),
      header("deep/.wh.gone", "0", 0),
      Buffer.alloc(1024),
    ]);
    const lister = new TarLister();
    for (let i = 0; i < tar.length; i += 100) lister.push(tar.subarray(i, i + 100)); // chunks that cut headers
    expect(lister.is_tar()).toBe(true);
    expect(lister.entries).toEqual([
      { path: "/deep", kind: "dir", size: 0 },
      { path: "/" + long, kind: "file", size: 3 },
      { path: "/deep/link", kind: "symlink", size: 0 },
      { path: "/deep/gone", kind: "whiteout", size: 0 },
    ]);
    const json = new TarLister();
    json.push(Buffer.from(JSON.stringify({ history: [] }).padEnd(600, " ")));
    expect(json.is_tar()).toBe(false);
  });
});
