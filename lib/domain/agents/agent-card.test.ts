import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAgentCard } from "./agent-card";

// The sample card of the A2A specification v1.0 (docs/specification.md §8.5 of a2aproject/A2A), verbatim.
const sample = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "a2a-sample-card.json"), "utf8"));

const fieldsOf = (raw: unknown) => {
  try {
    parseAgentCard(raw);
    return null;
  } catch (e) {
    return Object.keys((e as { details: Record<string, string[]> }).details);
  }
};

describe("A2A v1.0 agent cards", () => {
  it("accepts the specification's sample card as it is", () => {
    const card = parseAgentCard(sample);
    expect(card.skills.map((s) => s.id)).toEqual(["route-optimizer-traffic", "custom-map-generator"]);
    expect(card.supportedInterfaces).toHaveLength(3);
  });

  it("refuses what a2a.proto requires missing, wrong types, unknown fields and duplicate skills", () => {
    const { skills, ...noSkills } = sample;
    expect(fieldsOf(noSkills)).toEqual(["agentCard.skills"]);
    expect(fieldsOf({ ...sample, supportedInterfaces: [] })).toEqual(["agentCard.supportedInterfaces"]);
    expect(fieldsOf({ ...sample, capabilities: { streaming: "yes" } })).toEqual(["agentCard.capabilities.streaming"]);
    expect(fieldsOf({ ...sample, colour: "blue" })).toEqual(["agentCard"]);
    expect(fieldsOf({ ...sample, skills: [skills[0], skills[0]] })).toEqual(["agentCard.skills.1.id"]);
    expect(fieldsOf({ ...sample, skills: [{ ...skills[0], tags: undefined }] })).toEqual(["agentCard.skills.0.tags"]);
    expect(fieldsOf({ ...sample, skills: [{ ...skills[0], id: "a/b" }] })).toEqual(["agentCard.skills.0.id"]);
    expect(fieldsOf({ ...sample, iconUrl: "javascript:alert(1)" })).toEqual(["agentCard.iconUrl"]);
    expect(fieldsOf([])).toEqual(["agentCard"]);
    expect(
      fieldsOf({
        ...sample,
        description: "x".repeat(4000),
        skills: Array.from({ length: 20 }, (_, i) => ({ ...skills[0], id: `s${i}`, description: "d".repeat(4000) })),
      }),
    ).toEqual(["agentCard"]);
    expect(fieldsOf(null)).toEqual(["agentCard"]);
  });

  it("tells a v0.3 card what changed", () => {
    const { supportedInterfaces, ...rest } = sample;
    const v03 = { ...rest, url: supportedInterfaces[0].url, preferredTransport: "JSONRPC", protocolVersion: "0.3.0" };
    expect(() => parseAgentCard(v03)).toThrow(/v0\.3/);
    expect(fieldsOf(v03)).toEqual(["agentCard.url"]);
  });
});
