import { describe, expect, it } from "vitest";
import { confirmRequest } from "./confirm-dialog";

describe("confirmRequest", () => {
  it("splits one sentence into question and details at its first '? '", () => {
    expect(confirmRequest("Suspend this agent? Every call is denied.", "Suspend")).toEqual({
      title: "Suspend this agent?",
      details: "Every call is denied.",
      confirmLabel: "Suspend",
      tone: "danger",
    });
    expect(confirmRequest("Approve version 3 now?", "Approve", "primary")).toEqual({
      title: "Approve version 3 now?",
      confirmLabel: "Approve",
      tone: "primary",
    });
  });

  it("keeps a question given apart whole, whatever a name in it holds", () => {
    const name = "Why? Because";
    expect(confirmRequest([`Deactivate ${name}?`, "They are signed out."], "Deactivate")).toMatchObject({
      title: "Deactivate Why? Because?",
      details: "They are signed out.",
    });
    expect(confirmRequest([`Delete the endpoint "${name}"?`], "Delete")).toMatchObject({
      title: 'Delete the endpoint "Why? Because"?',
      details: undefined,
    });
  });
});
