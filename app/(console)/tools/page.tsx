import type { Metadata } from "next";
import { Fragment } from "react";
import { dateTime, usd } from "@/components/format";
import { ImportToolsForm, RegisterServerForm } from "@/components/tools/catalog-forms";
import { ActionError } from "@/components/ui/action-error";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { Table, Td, Th, WIDE } from "@/components/ui/table";
import { WordDiff, wordChanges } from "@/components/ui/word-diff";
import { requireSessionActor } from "@/lib/auth/session";
import { isAdmin } from "@/lib/domain/actor";
import { consoleTimeZone } from "@/lib/domain/settings/queries";
import { revealHidden } from "@/lib/domain/text";
import type { ToolDefinition } from "@/lib/domain/tools/definition";
import { listMcpServers, type ToolView, toolUsage } from "@/lib/domain/tools/queries";
import { acceptToolAction, importToolsAction, registerServerAction, rejectToolAction } from "./actions";

export const metadata: Metadata = { title: "Tools" };

/** The annotations a rule can match, as badges (destructive and idempotent only mean something for a writing tool). */
function Hints({
  t,
}: {
  t: Pick<ToolDefinition, "readOnlyHint" | "destructiveHint" | "idempotentHint" | "openWorldHint">;
}) {
  return (
    <span className="flex flex-wrap gap-1">
      {t.readOnlyHint ? <Badge tone="green">read-only</Badge> : null}
      {!t.readOnlyHint && t.destructiveHint ? <Badge tone="red">destructive</Badge> : null}
      {!t.readOnlyHint && t.idempotentHint ? <Badge tone="blue">idempotent</Badge> : null}
      {t.openWorldHint ? <Badge tone="amber">open-world</Badge> : null}
    </span>
  );
}

function Status({ t }: { t: Pick<ToolView, "status"> }) {
  return (
    <Badge
      tone={t.status === "trusted" ? "green" : t.status === "held" ? "amber" : t.status === "rejected" ? "red" : "gray"}
    >
      {t.status === "trusted" ? "in force" : t.status}
    </Badge>
  );
}

/** Agent- and server-written text with its hidden characters shown. */
const reveal = (text: string) => revealHidden(text).text;

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

const HELD = {
  box: "bg-amber-50 ring-amber-200",
  text: "text-amber-900",
  ring: "ring-amber-300",
  testId: "held-change",
};
const REJECTED = {
  box: "bg-rose-50 ring-rose-200",
  text: "text-rose-900",
  ring: "ring-rose-300",
  testId: "rejected-change",
};

/** A held tool (or one whose change was rejected): what changed, old beside new, and (for admins) Accept or Reject. */
function HeldChange({ t, admin }: { t: ToolView; admin: boolean }) {
  const next = t.pending as ToolDefinition;
  const rejected = t.status === "rejected";
  const tone = rejected ? REJECTED : HELD;
  // The whole of what the server now lists, every hidden character shown: a new tool shows all of it, a changed one
  // what changed (a review of an empty box, or of a description cut to two lines, accepts what nobody read).
  const [title, description, schema] = [
    next.title ?? "",
    next.description,
    JSON.stringify(next.inputSchema, null, 2),
  ].map(revealHidden);
  const shown = { title: title.text, description: description.text, schema: schema.text };
  const hidden = title.hidden + description.hidden + schema.hidden;
  // What was accepted, as shown (hidden characters revealed), for the word diff; "—" for nothing.
  const accepted = { title: reveal(t.title ?? "") || "—", description: reveal(t.description) || "—" };
  shown.title ||= "—";
  shown.description ||= "—";
  const changed = !t.isNew && (t.changedFields.includes("title") || t.changedFields.includes("description"));
  const titleChanges =
    changed && t.changedFields.includes("title") ? wordChanges(accepted.title, shown.title) : undefined;
  const descriptionChanges = changed ? wordChanges(accepted.description, shown.description) : undefined;
  return (
    <div className={`space-y-2 rounded-md p-3 text-sm ring-1 ${tone.box}`} data-testid={tone.testId}>
      <p className={`font-medium ${tone.text}`}>
        {rejected
          ? t.isNew
            ? "New since the server's first import, and rejected: calls are refused."
            : `Changed since it was accepted (${t.changedFields.join(", ")}), and the change rejected: calls are refused until its server lists the accepted definition again.`
          : t.isNew
            ? "New since the server's first import: calls are refused until an admin accepts it."
            : `Changed since it was accepted (${t.changedFields.join(", ")}): calls are refused until an admin accepts the change.`}
      </p>
      {hidden ? (
        <p className="rounded bg-rose-100 px-2 py-1 font-medium text-rose-900" data-testid="hidden-characters">
          {count(hidden, "hidden character")} in what the server now lists, shown as ⟨U+…⟩: text a person does not see
          but a model reads. An honest tool rarely has any.
        </p>
      ) : null}
      {t.isNew ? (
        <div className="space-y-1">
          <p className="text-xs font-semibold uppercase text-slate-600">Listed</p>
          <div className={`space-y-1 rounded bg-white p-2 text-slate-900 ring-1 ${tone.ring}`}>
            {next.title ? <p className="font-medium">{shown.title}</p> : null}
            <p className="whitespace-pre-wrap wrap-anywhere">{shown.description || "—"}</p>
            <Hints t={next} />
          </div>
        </div>
      ) : null}
      {changed ? (
        <div className="grid gap-2 sm:grid-cols-2">
          <div>
            <p className="text-xs font-semibold uppercase text-slate-600">Accepted</p>
            <div className="space-y-1 rounded bg-white p-2 text-slate-800">
              {t.changedFields.includes("title") ? (
                <p className="font-medium">
                  <WordDiff changes={titleChanges} text={accepted.title} side="before" />
                </p>
              ) : null}
              <p className="whitespace-pre-wrap wrap-anywhere">
                <WordDiff changes={descriptionChanges} text={accepted.description} side="before" />
              </p>
            </div>
          </div>
          <div>
            <p className="text-xs font-semibold uppercase text-slate-600">Now listed</p>
            <div className={`space-y-1 rounded bg-white p-2 text-slate-900 ring-1 ${tone.ring}`}>
              {t.changedFields.includes("title") ? (
                <p className="font-medium">
                  <WordDiff changes={titleChanges} text={shown.title} side="after" />
                </p>
              ) : null}
              <p className="whitespace-pre-wrap wrap-anywhere">
                <WordDiff changes={descriptionChanges} text={shown.description} side="after" />
              </p>
            </div>
          </div>
        </div>
      ) : null}
      {!t.isNew && t.changedFields.some((f) => f.endsWith("Hint")) ? (
        <p className="flex flex-wrap items-center gap-2 text-slate-700">
          Annotations now: <Hints t={next} />
        </p>
      ) : null}
      {t.isNew || t.changedFields.includes("inputSchema") ? (
        <details open={t.isNew || hidden > 0}>
          <summary className="cursor-pointer select-none text-slate-700">
            {t.isNew ? "Input schema" : "New input schema"}
          </summary>
          <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap wrap-anywhere rounded bg-white p-2 text-xs">
            {shown.schema}
          </pre>
        </details>
      ) : null}
      {admin ? (
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
          <form action={acceptToolAction.bind(null, t.id)}>
            <input type="hidden" name="definitionDigest" value={t.pendingDigest ?? ""} />
            {/* The risky one of the two (it lets agents call the changed tool): red, as its confirmation is. */}
            <ConfirmSubmit
              variant="destructive"
              tone="danger"
              message={[
                `Accept the change to ${t.resource}?`,
                "Agents may call it again as their rules allow, with the new definition. Read the new description and schema first: a changed tool is how a server turns a trusted tool against its callers.",
              ]}
            >
              Accept change
            </ConfirmSubmit>
          </form>
          {rejected ? null : (
            <form action={rejectToolAction.bind(null, t.id)}>
              <input type="hidden" name="definitionDigest" value={t.pendingDigest ?? ""} />
              <ConfirmSubmit
                variant="secondary"
                message={[
                  `Reject the change to ${t.resource}?`,
                  "Every call to it stays refused, and it leaves the review queue. It is in force again only when its server lists the accepted definition again; a further change is held for review.",
                ]}
              >
                Reject change
              </ConfirmSubmit>
            </form>
          )}
          <span className="text-slate-600">
            {rejected
              ? "You can still accept the rejected change."
              : "Until one or the other, every call to it is denied."}
          </span>
        </div>
      ) : null}
    </div>
  );
}

export default async function ToolsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const actor = await requireSessionActor();
  const admin = isAdmin(actor);
  const [servers, tz, sp] = await Promise.all([listMcpServers(actor), consoleTimeZone(), searchParams]);
  const usage = await toolUsage(actor, servers, new Date(Date.now() - 30 * 86_400_000));
  return (
    <div className="space-y-6">
      <PageHeader
        title="Tools"
        description="The MCP servers your agents use and their tools, as accepted. Rules match a tool as mcp:<server>/<tool> and by its annotations; a tool whose definition changes is held until an admin reviews it."
      />
      <ActionError searchParams={sp} />
      {sp.accepted ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Change accepted: the tool is in force again.
        </p>
      ) : null}
      {sp.rejected ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          Change rejected: the tool stays refused.
        </p>
      ) : null}
      {admin ? (
        <Card>
          <CardHeader title="Register an MCP server" />
          <RegisterServerForm action={registerServerAction} />
        </Card>
      ) : null}
      {servers.length === 0 ? (
        <Card>
          <EmptyState title="No MCP server is catalogued yet.">
            {admin
              ? "Register a server above, then import its tools over MCP or from a tools/list result."
              : "An admin registers MCP servers and imports their tools."}
          </EmptyState>
        </Card>
      ) : null}
      {servers.map((s) => {
        const held = s.tools.filter((t) => t.status === "held").length;
        return (
          <section key={s.id} aria-label={`MCP server ${s.name}`} data-testid={`server-${s.name}`}>
            <Card>
              <div className="flex flex-wrap items-start gap-3 border-b border-slate-100 px-4 py-3">
                <div className="min-w-0 flex-1 basis-64">
                  <h2 className="flex flex-wrap items-center gap-2 font-semibold text-slate-900">
                    <span className="font-mono">{s.name}</span>
                    {held ? <Badge tone="amber">{held} held</Badge> : null}
                  </h2>
                  <p className="break-words text-sm text-slate-600">
                    {s.url ?? "No URL: tools uploaded"}
                    {s.description ? ` · ${s.description}` : ""}
                    {` · ${s.lastImportedAt ? `imported ${dateTime(s.lastImportedAt, tz)}` : "not imported yet"}`}
                  </p>
                </div>
                {admin ? (
                  <ImportToolsForm action={importToolsAction.bind(null, s.id)} server={s.name} hasUrl={!!s.url} />
                ) : null}
              </div>
              {s.tools.length === 0 ? (
                <EmptyState title="No tools imported yet." />
              ) : (
                <Table>
                  <thead>
                    <tr>
                      <Th>Tool</Th>
                      <Th className={WIDE}>Annotations</Th>
                      <Th className={WIDE}>Status</Th>
                      <Th className={`${WIDE} text-right`}>Calls (30 d)</Th>
                      <Th className={`${WIDE} text-right`}>Errors</Th>
                      <Th className={`${WIDE} text-right`}>Cost</Th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100" data-testid="tool-rows">
                    {s.tools.map((t) => {
                      const u = usage.get(t.id);
                      return (
                        <Fragment key={t.id}>
                          <tr className={t.status === "removed" ? "text-slate-500" : undefined}>
                            <Td className="max-w-md">
                              <p className="flex flex-wrap items-center gap-2 font-mono text-[13px] text-slate-900">
                                {t.name}
                                <span className="font-sans sm:hidden">
                                  <Status t={t} />
                                </span>
                              </p>
                              {t.title ? (
                                <p className="wrap-anywhere text-sm text-slate-700">{reveal(t.title)}</p>
                              ) : null}
                              {/* On a phone (one column) it takes the cell's width rather than setting it: a clamped
                                  box sizes the table by its longest unbroken run (a URL), past the screen's edge. */}
                              <p className="line-clamp-2 w-0 min-w-full wrap-anywhere text-xs text-slate-600 sm:w-auto sm:min-w-0">
                                {reveal(t.description)}
                              </p>
                              {/* On a phone the annotations and the usage ride under the tool (their columns hide). */}
                              <div className="mt-1 space-y-1 sm:hidden">
                                <Hints t={t} />
                                <p className="text-xs text-slate-500 tabular-nums">
                                  {count(u?.calls ?? 0, "call")} · {count(u?.errors ?? 0, "error")} ·{" "}
                                  {usd(u?.costMicros ?? 0n)} (30 d)
                                </p>
                              </div>
                            </Td>
                            <Td className={WIDE}>
                              <Hints t={t} />
                            </Td>
                            <Td className={WIDE}>
                              <Status t={t} />
                            </Td>
                            <Td className={`${WIDE} text-right tabular-nums`}>{u?.calls ?? 0}</Td>
                            <Td className={`${WIDE} text-right tabular-nums`}>{u?.errors ?? 0}</Td>
                            <Td className={`${WIDE} text-right tabular-nums`}>{usd(u?.costMicros ?? 0n)}</Td>
                          </tr>
                          {t.status === "held" || t.status === "rejected" ? (
                            <tr>
                              <td colSpan={6} className="px-4 pb-3">
                                <HeldChange t={t} admin={admin} />
                              </td>
                            </tr>
                          ) : null}
                        </Fragment>
                      );
                    })}
                  </tbody>
                </Table>
              )}
            </Card>
          </section>
        );
      })}
    </div>
  );
}
