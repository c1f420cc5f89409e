// Shards of a roster for a CI matrix: a student goes to the shard its id's
// hash names, so every runner computes the same split from the same roster,
// and adding a student moves no one else.
import crypto from "node:crypto";

export interface Shard {
  /** 1-based, as `vitest --shard 1/3`. */
  index: number;
  count: number;
}

export function parse_shard(text: string): Shard | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) return undefined;
  return { index, count };
}

export function shard_text(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** The shard (1-based) of a student id among `count`. */
export function shard_of(student_id: string, count: number): number {
  const hash = crypto.createHash("sha256").update(student_id.toLowerCase()).digest();
  return (hash.readUInt32BE(0) % count) + 1;
}
