import type { Metadata } from "next";
import { ago, dateTime, usdExact } from "@/components/format";
import { AuditSinkForm } from "@/components/settings/audit-sink-form";
import { GateForm } from "@/components/settings/gate-form";
import { PasswordForm } from "@/components/settings/password-form";
import { PriceForm } from "@/components/settings/price-form";
import { RetentionForm } from "@/components/settings/retention-form";
import { TimeZoneForm } from "@/components/settings/time-zone-form";
import { TokenForm } from "@/components/settings/token-form";
import { TokenPolicyForm } from "@/components/settings/token-policy-form";
import { WebhookForm } from "@/components/settings/webhook-form";
import { WebhookTestButton } from "@/components/settings/webhook-test-button";
import { ActionButton } from "@/components/ui/action-button";
import { ActionError } from "@/components/ui/action-error";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader, EmptyState, PageHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { FreshProofNote } from "@/components/ui/fresh-proof";
import { SectionLinks } from "@/components/ui/section-links";
import { Table, Td, Th, WIDE } from "@/components/ui/table";
import { requireSessionActor } from "@/lib/auth/session";
import { isAdmin } from "@/lib/domain/actor";
import { ENVIRONMENTS } from "@/lib/domain/agents/schemas";
import { listAuditSinks } from "@/lib/domain/audit/sinks/commands";
import { getDeploymentGate, listEnvironmentPolicies } from "@/lib/domain/deployments/policies";
import { suitesText } from "@/lib/domain/evals/schemas";
import { listPrices } from "@/lib/domain/pricing/queries";
import { MIN_RETENTION_MONTHS } from "@/lib/domain/retention/months";
import { consoleTimeZone, orgSettings, tokenPolicyAsked } from "@/lib/domain/settings/queries";
import { listMyTokens } from "@/lib/domain/tokens/queries";
import { freshProofNeeded } from "@/lib/domain/users/fresh-proof";
import { hasPassword } from "@/lib/domain/users/queries";
import { RECENT_SIGN_IN_MINUTES } from "@/lib/domain/users/recent-sign-in";
import { listWebhookEndpoints } from "@/lib/domain/webhooks/queries";
import {
  changeOwnPasswordAction,
  createAuditSinkAction,
  createTokenAction,
  createWebhookAction,
  deleteAuditSinkAction,
  deleteWebhookAction,
  revokeTokenAction,
  setGatesAction,
  setPolicyAction,
  setPriceAction,
  setRetentionAction,
  setTimeZoneAction,
  setTokenPolicyAction,
  testWebhookAction,
} from "./actions";

export const metadata: Metadata = { title: "Settings" };

const SINK_KINDS = { https: "HTTPS NDJSON", splunk_hec: "Splunk HEC", syslog: "Syslog" } as const;

export default async function SettingsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const actor = await requireSessionActor();
  const tz = await consoleTimeZone();
  const sp = await searchParams;
  const [prices, tokens, policies, settings, webhooks, sinks, gates, ownPassword, proof, asked] = await Promise.all([
    listPrices(),
    listMyTokens(actor),
    listEnvironmentPolicies(),
    orgSettings(),
    isAdmin(actor) ? listWebhookEndpoints(actor) : null,
    isAdmin(actor) ? listAuditSinks(actor) : null,
    Promise.all(ENVIRONMENTS.map(getDeploymentGate)),
    hasPassword(actor.id),
    freshProofNeeded(actor),
    isAdmin(actor) ? tokenPolicyAsked() : false,
  ]);
  const { timeZone } = settings;
  return (
    <>
      <PageHeader
        title="Settings"
        description="Your password and API tokens, webhooks, audit streaming, the organisation's time zone, retention, deployment policies and the model price table. People and teams have their own page."
        actions={
          <ButtonLink href="/settings/api" variant="secondary">
            API reference
          </ButtonLink>
        }
      />
      <SectionLinks
        links={[
          { id: "tokens", label: "Access tokens" },
          { id: "password", label: "Password" },
          ...(webhooks ? [{ id: "webhooks", label: "Webhooks" }] : []),
          ...(sinks ? [{ id: "siem", label: "Audit streaming" }] : []),
          { id: "time-zone", label: "Time zone" },
          { id: "retention", label: "Retention" },
          { id: "deployments", label: "Deployments" },
          { id: "prices", label: "Model prices" },
        ]}
      />
      <div className="space-y-6">
        <ActionError searchParams={sp} />
        <Card id="tokens">
          <CardHeader
            title="Personal access tokens"
            description={`For scripts calling /api/v1 as you, with your role. Send as Authorization: Bearer <token>. Made within ${RECENT_SIGN_IN_MINUTES} minutes of signing in, or with your password.`}
          />
          <FreshProofNote proof={proof} doing="create a token" className="px-4 pt-4" />
          <TokenForm action={createTokenAction} askPassword={proof === "password"} />
          {tokens.length === 0 ? (
            <EmptyState title="You have no tokens." />
          ) : (
            <Table>
              <thead className="bg-slate-50">
                <tr>
                  <Th>Name</Th>
                  <Th>Prefix</Th>
                  <Th>Created</Th>
                  <Th>Expires</Th>
                  <Th>Last used</Th>
                  <Th />
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {tokens.map((t) => (
                  <tr key={t.id}>
                    <Td>
                      {t.name} {t.scopes.length ? <Badge tone="blue">{t.scopes.join(", ")}</Badge> : null}
                    </Td>
                    <Td className="font-mono text-xs">{t.prefix}…</Td>
                    <Td>{dateTime(t.createdAt, tz)}</Td>
                    <Td>{t.expiresAt ? dateTime(t.expiresAt, tz) : "never"}</Td>
                    <Td>{ago(t.lastUsedAt)}</Td>
                    <Td className="text-right">
                      {t.revokedAt ? (
                        <Badge tone="red">revoked</Badge>
                      ) : (
                        <form action={revokeTokenAction}>
                          <input type="hidden" name="tokenId" value={t.id} />
                          <ConfirmSubmit
                            aria-label={`Revoke token ${t.name}`}
                            message={[`Revoke token "${t.name}"?`, "Clients using it get 401 from now on."]}
                            confirmLabel="Revoke"
                          >
                            Revoke
                          </ConfirmSubmit>
                        </form>
                      )}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
          {isAdmin(actor) ? (
            <TokenPolicyForm
              action={setTokenPolicyAction}
              allowed={settings.tokensIssueCredentials}
              asked={asked}
              proof={proof}
            />
          ) : settings.tokensIssueCredentials ? null : (
            <p className="border-t border-slate-100 p-4 text-sm text-slate-700">
              Tokens may not issue credentials here (agent keys, passwords, SIEM sinks, webhook endpoints).
            </p>
          )}
        </Card>

        <Card id="password">
          <CardHeader
            title="Your password"
            description={
              ownPassword
                ? "Used with your e-mail on the sign-in page."
                : "You sign in through SSO: your password is managed by your identity provider."
            }
          />
          {ownPassword ? <PasswordForm action={changeOwnPasswordAction} /> : null}
        </Card>

        {webhooks ? (
          <Card id="webhooks">
            <CardHeader
              title="Webhooks"
              description="Budget alerts (and test events) are POSTed as JSON to every endpoint, signed with x-acp-signature: t=<unix seconds>,v1=<HMAC-SHA256 of “t.body”>. Receivers should reject timestamps older than 5 minutes. Failed deliveries are retried with back-off."
            />
            <FreshProofNote proof={proof} doing="add an endpoint" className="px-4 pt-4" />
            <WebhookForm action={createWebhookAction} askPassword={proof === "password"} />
            {webhooks.length === 0 ? (
              <EmptyState title="No webhook endpoints." />
            ) : (
              <ul className="divide-y divide-slate-100" data-testid="webhooks">
                {webhooks.map((w) => (
                  <li key={w.id} className="space-y-2 px-4 py-3">
                    <div className="flex flex-wrap items-center gap-3 text-sm">
                      <span className="font-medium">{w.name}</span>
                      <span className="font-mono text-xs text-slate-500">{w.url}</span>
                      <span className="font-mono text-xs text-slate-500">secret {w.secretPrefix}…</span>
                      <div className="ml-auto flex items-center gap-2">
                        <WebhookTestButton action={testWebhookAction.bind(null, w.id)} name={w.name} />
                        <ActionButton
                          action={deleteWebhookAction.bind(null, w.id)}
                          label={`Delete webhook ${w.name}`}
                          variant="destructive"
                          confirm={[`Delete the endpoint "${w.name}" and its delivery log?`]}
                        >
                          Delete
                        </ActionButton>
                      </div>
                    </div>
                    {w.deliveries.length ? (
                      <table className="w-full text-xs" aria-label={`Deliveries to ${w.name}`}>
                        <thead className="text-left text-slate-500">
                          <tr>
                            <th className="py-1 font-medium">Event</th>
                            <th className="font-medium">Status</th>
                            <th className="font-medium">HTTP</th>
                            <th className="font-medium">Attempts</th>
                            <th className="font-medium">Error</th>
                            <th className="font-medium">Queued</th>
                            <th className="font-medium">Next try</th>
                          </tr>
                        </thead>
                        <tbody className="divide-y divide-slate-100" data-testid="deliveries">
                          {w.deliveries.map((d) => (
                            <tr key={d.id}>
                              <td className="py-1 font-mono">{d.eventType}</td>
                              <td>
                                <Badge
                                  tone={d.status === "succeeded" ? "green" : d.status === "failed" ? "red" : "amber"}
                                >
                                  {d.status}
                                </Badge>
                              </td>
                              <td className="tabular-nums">{d.lastStatus ?? "—"}</td>
                              <td className="tabular-nums">{d.attempts}</td>
                              <td className="max-w-64 truncate text-slate-500">{d.lastError ?? ""}</td>
                              <td className="text-slate-500">{dateTime(d.createdAt, tz)}</td>
                              <td className="text-slate-500">
                                {d.status === "pending" ? dateTime(d.nextAttemptAt, tz) : ""}
                              </td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    ) : (
                      <p className="text-xs text-slate-500">No deliveries yet.</p>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        ) : null}

        {sinks ? (
          <Card id="siem">
            <CardHeader
              title="Audit streaming (SIEM)"
              description="Every audit event is sent to each sink in position order, at least once, with its position, prevHash and hash so the receiver can verify the chain and drop duplicates. A sink that is down is retried with back-off and catches up from the last position it acknowledged; retention never prunes what a sink has not acknowledged."
            />
            <FreshProofNote proof={proof} doing="add a sink" className="px-4 pt-4" />
            <AuditSinkForm action={createAuditSinkAction} askPassword={proof === "password"} />
            {sinks.length === 0 ? (
              <EmptyState title="No SIEM sinks: the audit trail stays in this product and its exports." />
            ) : (
              <ul className="divide-y divide-slate-100" data-testid="audit-sinks">
                {sinks.map((s) => (
                  <li key={s.id} className="space-y-1.5 px-4 py-3" data-testid={`sink-${s.name}`}>
                    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
                      <span className="font-medium">{s.name}</span>
                      <Badge tone="blue">{SINK_KINDS[s.kind]}</Badge>
                      <span className="min-w-0 break-all font-mono text-xs text-slate-500">{s.url}</span>
                      {s.secretPrefix ? (
                        <span className="font-mono text-xs text-slate-500">
                          {s.kind === "splunk_hec" ? "token" : "secret"} {s.secretPrefix}…
                        </span>
                      ) : null}
                      <div className="ml-auto">
                        {s.removalRequestId ? (
                          <Badge tone="amber">deletion waits for a second admin</Badge>
                        ) : (
                          <ActionButton
                            action={deleteAuditSinkAction.bind(null, s.id)}
                            label={`Delete sink ${s.name}`}
                            variant="destructive"
                            confirm={[
                              `Stop streaming the audit trail to "${s.name}"?`,
                              "Another admin approves it first (it streams until then); adding it again starts over.",
                            ]}
                          >
                            Delete
                          </ActionButton>
                        )}
                      </div>
                    </div>
                    <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600">
                      {s.failures > 0 ? (
                        <Badge tone="red">failing</Badge>
                      ) : s.lag > 0 ? (
                        <Badge tone="amber">catching up</Badge>
                      ) : (
                        <Badge tone="green">up to date</Badge>
                      )}
                      <span data-testid="sink-lag">
                        {s.lag === 0
                          ? "no lag"
                          : `${s.lag.toLocaleString("en-US")} event${s.lag === 1 ? "" : "s"} behind`}
                      </span>
                      {s.ackedPosition !== "0" ? <span>acknowledged through #{s.ackedPosition}</span> : null}
                      <span>
                        {s.lastDeliveredAt ? `last delivery ${ago(s.lastDeliveredAt)}` : "nothing delivered yet"}
                      </span>
                      {s.failures > 0 ? <span>next try {dateTime(s.nextAttemptAt, tz)}</span> : null}
                    </p>
                    {s.lastError ? (
                      <p
                        className={`text-xs ${s.failures > 0 ? "text-rose-700" : "text-slate-500"}`}
                        data-testid="sink-error"
                      >
                        Last error{s.lastErrorAt ? ` (${dateTime(s.lastErrorAt, tz)})` : ""}: {s.lastError}
                        {s.failures > 0
                          ? ` · ${s.failures} failed attempt${s.failures === 1 ? "" : "s"} in a row`
                          : " · recovered since"}
                      </p>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        ) : null}

        <Card id="time-zone">
          <CardHeader
            title="Organisation time zone"
            description="Budget and spend days start at its midnight, weeks on its Monday, months on its 1st. A change leaves running budget periods as they are; the next one runs from their end to the new zone's boundary after next (up to about two periods under one limit), so none is cut short."
          />
          {isAdmin(actor) ? (
            <TimeZoneForm
              action={setTimeZoneAction}
              current={timeZone}
              zones={[...new Set(["UTC", timeZone, ...Intl.supportedValuesOf("timeZone")])]}
            />
          ) : (
            <p className="p-4 text-sm text-slate-700">{timeZone}</p>
          )}
        </Card>

        <Card id="retention">
          <CardHeader
            title="Retention"
            description="Older raw usage events and decisions are deleted in small audited batches; spend charts, rollups and budget figures are kept. The audit trail is pruned only up to a signed checkpoint, from which it still verifies. Keeping records longer applies at once; keeping them for less time waits for a second admin's approval."
          />
          {isAdmin(actor) ? (
            <RetentionForm action={setRetentionAction} current={settings} minimum={MIN_RETENTION_MONTHS} />
          ) : (
            <p className="p-4 text-sm text-slate-700">
              Raw usage and decisions: {settings.usageRetentionMonths} months. Audit trail:{" "}
              {settings.auditRetentionMonths} months.
            </p>
          )}
        </Card>

        <Card id="deployments">
          <CardHeader
            title="Deployments: approval and eval gates"
            description="Four-eyes: a deployment or rollback is a request that another admin must approve. Eval gates: a version deploys only when each required suite's latest run on it passed, at the suite's minimum score here if one is set (safety ≥ 0.9: without one, the threshold the run reports, which whoever records it chooses) and within the cost per passed case if one is set (a rollback: once so); admins can override with a reason."
          />
          <ul className="divide-y divide-slate-100 text-sm" data-testid="policies">
            {ENVIRONMENTS.map((env, i) => (
              <li key={env} className="space-y-2 px-4 py-3">
                {/* The environment, its approval policy and the switch on one line; its eval gates under it. */}
                <div className="flex flex-wrap items-center gap-3">
                  <span className="font-medium sm:w-20">{env}</span>
                  {policies[env] ? <Badge tone="violet">approval required</Badge> : <Badge>direct deploys</Badge>}
                  {isAdmin(actor) ? (
                    <form action={setPolicyAction.bind(null, env, !policies[env])} className="ml-auto">
                      <ConfirmSubmit
                        variant="secondary"
                        tone={policies[env] ? "danger" : "primary"}
                        message={
                          policies[env]
                            ? `Let admins deploy to ${env} without a second approval?`
                            : `Require a second admin's approval for ${env} deployments?`
                        }
                      >
                        {policies[env] ? "Stop requiring approval" : "Require approval"}
                      </ConfirmSubmit>
                    </form>
                  ) : null}
                </div>
                {isAdmin(actor) ? (
                  <GateForm
                    action={setGatesAction.bind(null, env)}
                    environment={env}
                    suites={suitesText(gates[i].requiredSuites, gates[i].minScores)}
                    maxCostPerPassedCaseUsd={gates[i].maxCostPerPassedCaseUsd}
                  />
                ) : gates[i].requiredSuites.length ? (
                  <p className="text-xs text-slate-600">
                    requires {suitesText(gates[i].requiredSuites, gates[i].minScores)}
                    {gates[i].maxCostPerPassedCaseUsd === null
                      ? null
                      : ` at most $${gates[i].maxCostPerPassedCaseUsd} per passed case`}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </Card>

        <Card id="prices">
          <CardHeader
            title="Model prices"
            description="USD per million tokens. The price in force at a usage event's time is the one applied; a new price never changes past events."
          />
          {isAdmin(actor) ? <PriceForm action={setPriceAction} /> : null}
          {prices.length === 0 ? (
            <EmptyState title="No prices yet: all usage is flagged unpriced." />
          ) : (
            <Table>
              <thead className="bg-slate-50">
                <tr>
                  <Th className={WIDE}>Provider</Th>
                  <Th>Model</Th>
                  <Th className="text-right">Input</Th>
                  <Th className={cn(WIDE, "text-right")}>Cached input</Th>
                  <Th className="text-right">Output</Th>
                  <Th className={WIDE}>Effective from</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {prices.map((p) => (
                  <tr key={p.id}>
                    <Td className={WIDE}>{p.provider}</Td>
                    <Td>
                      <span className="font-mono text-xs">{p.model}</span>
                      {/* On a phone the provider, cached input and date ride under the model. */}
                      <span className="block whitespace-normal text-xs text-slate-500 sm:hidden">
                        {p.provider} · cached {usdExact(p.cachedInputMicrosPerMTok)} · from{" "}
                        {dateTime(p.effectiveFrom, tz)}
                      </span>
                    </Td>
                    <Td className="text-right tabular-nums">{usdExact(p.inputMicrosPerMTok)}</Td>
                    <Td className={cn(WIDE, "text-right tabular-nums")}>{usdExact(p.cachedInputMicrosPerMTok)}</Td>
                    <Td className="text-right tabular-nums">{usdExact(p.outputMicrosPerMTok)}</Td>
                    <Td className={WIDE}>{dateTime(p.effectiveFrom, tz)}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
