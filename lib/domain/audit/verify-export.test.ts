import { describe, expect, it } from "vitest";
import { EXPORT_FORMAT, type ExportRecord, exportDigest } from "./export-format";
import { type AuditHashInput, auditHash, GENESIS_HASH } from "./hash";
import { describeVerdict, verifyAuditExport } from "./verify-export";
import type { AuditEventView } from "./view";

function chain(n: number): AuditEventView[] {
  const events: AuditEventView[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e = {
      position: String(i),
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      actorType: "user",
      actorId: "u1",
      actorLabel: "a@b.c",
      action: i % 3 === 0 ? "key.created" : "agent.updated",
      targetType: "agent",
      targetId: `a${i}`,
      teamId: null,
      agentId: `a${i % 2}`,
      outcome: "success",
      before: null,
      after: { n: i },
      reason: null,
      requestId: null,
      ip: null,
      prevHash,
    } satisfies AuditHashInput;
    const hash = auditHash(e);
    events.push({ ...e, hash });
    prevHash = hash;
  }
  return events;
}

/** The lines the server writes for `events`, keeping those `keep` accepts (the same rules as exportAuditEvents). */
function exportLines(events: AuditEventView[], keep?: (e: AuditEventView) => boolean): string[] {
  const filters: Record<string, string> = keep ? { action: "filtered" } : {};
  keep ??= () => true;
  const head = { position: events.at(-1)!.position, hash: events.at(-1)!.hash };
  const records: ExportRecord[] = [
    { record: "header", format: EXPORT_FORMAT, version: 1, exportedAt: "2026-01-02T00:00:00.000Z", filters, head },
  ];
  const digest = exportDigest();
  let next = 1;
  const kept = events.filter(keep);
  for (const e of kept) {
    if (Number(e.position) > next)
      records.push({ record: "skipped", from: String(next), to: String(Number(e.position) - 1), hash: e.prevHash });
    records.push(e);
    digest.add(e.position, e.hash);
    next = Number(e.position) + 1;
  }
  if (next <= Number(head.position))
    records.push({ record: "skipped", from: String(next), to: head.position, hash: head.hash });
  records.push({
    record: "trailer",
    count: kept.length,
    firstPosition: kept[0]?.position ?? null,
    lastPosition: kept.at(-1)?.position ?? null,
    digest: digest.hex(),
    head,
  });
  return records.map((r) => JSON.stringify(r));
}

const pos = (line: string) => JSON.parse(line).position as string;
const without = (lines: string[], i: number) => lines.filter((_, j) => j !== i);
const swap = (lines: string[], i: number) => lines.map((l, j) => (j === i ? lines[i + 1] : j === i + 1 ? lines[i] : l));
const insertAt = (lines: string[], i: number, line: string) => [...lines.slice(0, i), line, ...lines.slice(i)];

describe("offline export verifier", () => {
  const events = chain(10);
  const full = exportLines(events);
  const filtered = exportLines(events, (e) => e.action === "agent.updated" && e.agentId === "a1");

  it("says INTACT for a full and a filtered export", () => {
    expect(verifyAuditExport(full)).toMatchObject({ intact: true, events: 10, head: { position: "10" } });
    expect(verifyAuditExport(filtered.join("\n"))).toMatchObject({ intact: true, events: 3 });
    expect(describeVerdict(verifyAuditExport(full))).toMatch(/^INTACT: 10 events verified/);
    // A filtered export says so first: its filters are the file's own claim, and what it skips is taken on trust.
    expect(verifyAuditExport(filtered.join("\n"))).toMatchObject({ skipped: "7" });
    expect(describeVerdict(verifyAuditExport(filtered.join("\n")))).toMatch(
      /^INTACT: FILTERED \(action="filtered"\): 7 position\(s\) outside the filter taken on trust as skipped, not verified; 3 events verified/,
    );
    // Nothing the file says can paint the line: control and format characters are written as escapes.
    const painted = describeVerdict({
      ...(verifyAuditExport(filtered.join("\n")) as Extract<ReturnType<typeof verifyAuditExport>, { intact: true }>),
      filters: { "x\u001b[2K\r": "INTACT\u202e\u009b" },
    });
    expect([...painted].some((c) => /[\p{Cc}\p{Cf}]/u.test(c))).toBe(false);
    expect(painted).toContain("\\u001b[2K\\u000d");
  });

  it("reports a deleted line by its position (first, middle and last event, full and filtered)", () => {
    expect(verifyAuditExport(without(full, 1))).toMatchObject({ intact: false, position: "1" });
    expect(verifyAuditExport(without(full, 5))).toMatchObject({ intact: false, position: "5" });
    expect(verifyAuditExport(without(full, 10))).toMatchObject({ intact: false, position: "10" });
    // filtered: lines are header, skipped?, events and skips; remove each event line in turn
    filtered.forEach((line, i) => {
      if (JSON.parse(line).record) return;
      expect(verifyAuditExport(without(filtered, i)), `removing ${pos(line)}`).toMatchObject({
        intact: false,
        position: pos(line),
      });
    });
    expect(describeVerdict(verifyAuditExport(without(full, 5)))).toMatch(
      /^BROKEN at position 5: position 5 is missing/,
    );
  });

  it("reports reordered, duplicated and added lines", () => {
    expect(verifyAuditExport(swap(full, 4))).toMatchObject({ intact: false, position: "4" });
    const fi = filtered.findIndex((l) => !JSON.parse(l).record);
    const fj = filtered.findIndex((l, j) => j > fi && !JSON.parse(l).record);
    const reordered = filtered.map((l, j) => (j === fi ? filtered[fj] : j === fj ? filtered[fi] : l));
    expect(verifyAuditExport(reordered)).toMatchObject({ intact: false });
    expect(verifyAuditExport(insertAt(full, 6, full[5]))).toMatchObject({ intact: false, position: "5" });
    // a genuine event (valid hash) that the filter left out, slipped into the filtered export
    const outsider = JSON.stringify(events[2]);
    const v = verifyAuditExport(insertAt(filtered, filtered.length - 1, outsider));
    expect(v).toMatchObject({ intact: false, position: "3" });
  });

  it("reports a truncated file, a removed header or trailer, and a tampered trailer", () => {
    expect(verifyAuditExport(full.slice(0, 7))).toMatchObject({ intact: false, position: "7" });
    expect(verifyAuditExport(full.slice(0, -1))).toMatchObject({
      intact: false,
      message: expect.stringMatching(/truncated/),
    });
    expect(verifyAuditExport(filtered.slice(0, -2))).toMatchObject({ intact: false });
    expect(verifyAuditExport(full.slice(1))).toMatchObject({ intact: false, line: 1 });
    expect(verifyAuditExport("")).toMatchObject({ intact: false });
    const trailer = JSON.parse(full.at(-1)!);
    expect(verifyAuditExport([...full.slice(0, -1), JSON.stringify({ ...trailer, count: 9 })])).toMatchObject({
      intact: false,
    });
    expect(verifyAuditExport([...full, full[3]])).toMatchObject({
      intact: false,
      message: expect.stringMatching(/follows the trailer/),
    });
    // the last event removed and the trailer rewritten to match: the head the header names is not reached
    const last = verifyAuditExport([...full.slice(0, -2), JSON.stringify({ ...trailer, count: 9, lastPosition: "9" })]);
    expect(last).toMatchObject({ intact: false, position: "10" });
  });

  it("reports an edited event", () => {
    const edited = full.map((l, i) => (i === 4 ? l.replace('"success"', '"failure"') : l));
    expect(verifyAuditExport(edited)).toMatchObject({
      intact: false,
      position: "4",
      message: expect.stringMatching(/hash/),
    });
  });

  it("reports an event line showing a member the hash does not cover, lacking one, or with its time reformatted", () => {
    const edit = (f: (e: Record<string, unknown>) => void) =>
      full.map((l, i) => {
        if (i !== 4) return l;
        const e = JSON.parse(l);
        f(e);
        return JSON.stringify(e);
      });
    expect(verifyAuditExport(edit((e) => Object.assign(e, { approvedBy: "the CFO" })))).toMatchObject({
      intact: false,
      position: "4",
      message: expect.stringMatching(/members the hash does not cover \(approvedBy\)/),
    });
    expect(verifyAuditExport(edit((e) => delete e.ip))).toMatchObject({ intact: false, position: "4" });
    // The same instant written another way: not the form the hash covers.
    expect(
      verifyAuditExport(edit((e) => Object.assign(e, { occurredAt: String(e.occurredAt).replace("Z", "+00:00") }))),
    ).toMatchObject({ intact: false, position: "4", message: expect.stringMatching(/occurredAt/) });
  });

  it("in an unfiltered export, an event replaced by a skipped record (trailer recomputed) is reported", () => {
    const events = chain(6);
    const lines = exportLines(events);
    const victim = events[2];
    const forged = lines.map((l) =>
      l.includes(`"position":"${victim.position}"`)
        ? JSON.stringify({ record: "skipped", from: victim.position, to: victim.position, hash: victim.hash })
        : l,
    );
    expect(verifyAuditExport(forged)).toMatchObject({ intact: false, position: victim.position });
  });
});
