import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { contractBreach, type RouteSpec } from "./route";

const spec: RouteSpec = {
  summary: "test",
  tags: ["test"],
  response: z.object({ id: z.string() }),
  status: 201,
  otherResponses: {
    202: { description: "pending", content: { "application/json": z.object({ requestId: z.string() }) } },
    304: { description: "not modified" },
  },
};

describe("contractBreach (ACP_VALIDATE_RESPONSES=1)", () => {
  const before = process.env.ACP_VALIDATE_RESPONSES;
  afterEach(() => {
    process.env.ACP_VALIDATE_RESPONSES = before;
  });

  it("passes answers that match their declared status and schema", () => {
    process.env.ACP_VALIDATE_RESPONSES = "1";
    expect(contractBreach(spec, 201, { id: "a", extra: 1 }, "r")).toBeNull();
    expect(contractBreach(spec, 202, { requestId: "x" }, "r")).toBeNull();
    expect(contractBreach(spec, 304, undefined, "r")).toBeNull();
  });

  it("answers 500 response_schema for a body off its schema, an undeclared status, or JSON where none is declared", async () => {
    process.env.ACP_VALIDATE_RESPONSES = "1";
    for (const [status, json] of [
      [201, { id: 5 }],
      [200, { id: "a" }],
      [304, { id: "a" }],
    ] as const) {
      const res = contractBreach(spec, status, json, "r");
      expect(res?.status, `${status}`).toBe(500);
      expect((await res!.json()).error.code).toBe("response_schema");
    }
  });

  it("answers 500 when the command accepted a body the declared body schema refuses", () => {
    process.env.ACP_VALIDATE_RESPONSES = "1";
    const withBody = { ...spec, body: z.object({ name: z.string() }) };
    expect(contractBreach(withBody, 201, { id: "a" }, "r", { name: "n" })).toBeNull();
    expect(contractBreach(withBody, 201, { id: "a" }, "r", { name: 5 })?.status).toBe(500);
  });

  it("checks nothing outside tests", () => {
    delete process.env.ACP_VALIDATE_RESPONSES;
    expect(contractBreach(spec, 201, { id: 5 }, "r")).toBeNull();
  });
});
