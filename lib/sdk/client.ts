/**
 * A small typed client for agent runtimes. No dependencies beyond `fetch`: copy this file or import it.
 *
 *   const acp = new AcpRuntimeClient({ baseUrl: "https://acp.example.com", agentKey: process.env.ACP_AGENT_KEY! });
 *   const { config } = await acp.getConfig();                 // cached by ETag
 *   const d = await acp.authorize({ action: "model:use", resource: "gpt-5", estimatedCostUsd: 0.02 });
 *   if (d.decision === "allow" || d.decision === "degrade") {   // never on "deny", nor "pending" (see below)
 *     ...call d.model ?? config.model...; acp.recordUsage({ ..., decisionId: d.decisionId });
 *   }
 *   await acp.flush();                                         // sends queued usage in batches, retrying safely
 *
 * Outcomes make cost per outcome exact: name the task on its usage, then report what the task achieved:
 *   acp.recordUsage({ ..., taskId: ticket.id });
 *   await acp.reportOutcomes([{ type: "ticket.resolved", taskId: ticket.id, success: true }]);
 *
 * While a canary runs, pass a routing key (a session, end-user or task id): the same key always gets the same version.
 * Usage names the version it ran on, so the canary is compared with stable:
 *   const { config } = await acp.getConfig({ routingKey: session.id });
 *   acp.recordUsage({ ..., routingKey: session.id });     // or version: <the config's version.number>
 *
 * When a rule requires a person's approval, authorize answers `pending` with an `approvalId`:
 *   const d = await acp.authorizeAndWait({ action: "tool:call", resource: "mcp:github/delete_repo",
 *     argumentsDigest: await digestArguments(args) });  // waits for the approver, then redeems the approval once
 */

export type Decision = {
  decisionId: string;
  decision: "allow" | "deny" | "degrade" | "pending";
  /** Set when pending: wait for it (waitForApproval), then authorize again with it. */
  approvalId?: string;
  approvalExpiresAt?: string;
  reason: string;
  code: string;
  ruleId?: string;
  budgetId?: string;
  model?: string;
  budget?: { remainingUsd: number; period: "day" | "week" | "month"; resetsAt: string };
};

export type AuthorizeRequest = {
  action: string;
  resource: string;
  estimatedCostUsd?: number;
  model?: string;
  context?: Record<string, unknown>;
  /** The person or end user the agent acts for: kept in the lineage (what agents did on their behalf). */
  onBehalfOf?: string;
  /** The version number the agent runs (its config's version.number), when it may be a canary's. */
  version?: number;
  /** Binds an approval to these arguments: see digestArguments. */
  argumentsDigest?: string;
  /** Redeems an approved approval (once). */
  approvalId?: string;
};

export type RuntimeApproval = {
  id: string;
  status: "pending" | "approved" | "denied" | "expired" | "redeemed";
  action: string;
  resource: string;
  argumentsDigest: string | null;
  expiresAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  note: string | null;
};

/** JSON with object keys sorted at every level, so equal arguments give equal text. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

/** `sha256:<hex>` of the arguments' canonical JSON: what an approval for a tool call is bound to. */
export async function digestArguments(args: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson(args));
  const hash = new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", bytes));
  return `sha256:${Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export type RuntimeConfig = {
  agent: { id: string; slug: string; name: string; status: string; environment: string };
  version: { number: number; createdAt: string };
  config: {
    model: string;
    fallbackModel: string | null;
    systemPrompt: string;
    tools: string[];
    parameters: Record<string, unknown>;
    extra: Record<string, unknown>;
  };
  /** While a canary runs: its version and share, and whether this routing key is served it. */
  canary?: { version: number; percent: number; serving: boolean };
};

export type UsageEvent = {
  id?: string;
  timestamp?: string;
  model: string;
  provider?: string;
  inputTokens: number;
  cachedInputTokens?: number;
  outputTokens: number;
  costUsd?: number;
  tool?: string;
  latencyMs?: number;
  status?: "ok" | "error";
  decisionId?: string;
  /**
   * The agent version the call ran on. Default: the version last fetched for `routingKey`, else, when no canary was
   * running, the last config's version (with a canary, pass one of the two).
   */
  version?: number;
  /** The routing key the config was fetched with (not sent): picks the default `version`. */
  routingKey?: string;
  /** The task the call worked on: the outcome reported for the same task is what it cost. */
  taskId?: string;
};

/** What a task achieved: a type an admin defined (e.g. `ticket.resolved`) and the agent is listed to report. */
export type OutcomeEvent = {
  id?: string;
  type: string;
  taskId: string;
  success: boolean;
  /** For types that carry a value, in US dollars. */
  valueUsd?: number;
  version?: number;
  timestamp?: string;
};

export type UsageResult = { accepted: number; duplicates: number; unpriced: number; costUsd: number };

export class AcpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AcpError";
  }
}

type Options = {
  baseUrl: string;
  agentKey: string;
  fetch?: typeof fetch;
  batchSize?: number;
  maxRetries?: number;
  retryBaseMs?: number;
};

export class AcpRuntimeClient {
  private readonly base: string;
  private readonly doFetch: typeof fetch;
  private readonly batchSize: number;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private cached = new Map<string, { etag: string; body: RuntimeConfig }>();
  private lastVersion: number | undefined;
  private canarySeen = false;
  private queue: (UsageEvent & { id: string; timestamp: string })[] = [];

  constructor(private readonly opts: Options) {
    this.base = opts.baseUrl.replace(/\/$/, "");
    this.doFetch = opts.fetch ?? fetch;
    this.batchSize = Math.min(opts.batchSize ?? 500, 1000);
    this.maxRetries = opts.maxRetries ?? 4;
    this.retryBaseMs = opts.retryBaseMs ?? 200;
  }

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T | null; headers: Headers }> {
    const res = await this.doFetch(`${this.base}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.opts.agentKey}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 304) return { status: 304, body: null, headers: res.headers };
    const json = await res.json().catch(() => null);
    if (!res.ok) {
      const e = json?.error ?? {};
      throw new AcpError(res.status, e.code ?? "http_error", e.message ?? `HTTP ${res.status}`, e.details);
    }
    return { status: res.status, body: json as T, headers: res.headers };
  }

  /**
   * The deployed config, or the canary's for a routing key in its share; a repeat call (per routing key) sends
   * If-None-Match and reuses the cached copy on 304.
   */
  async getConfig(opts: { routingKey?: string } = {}): Promise<RuntimeConfig & { fromCache: boolean }> {
    const key = opts.routingKey ?? "";
    const cached = this.cached.get(key);
    const r = await this.call<RuntimeConfig>("GET", "/api/v1/runtime/config", undefined, {
      ...(cached ? { "If-None-Match": cached.etag } : {}),
      ...(key ? { "X-ACP-Routing-Key": key } : {}),
    });
    const body = r.status === 304 && cached ? cached.body : r.body!;
    if (r.status !== 304 || !cached) {
      if (this.cached.size >= 1000) this.cached.clear();
      this.cached.set(key, { etag: r.headers.get("etag") ?? "", body });
    }
    this.lastVersion = body.version.number;
    if (body.canary) this.canarySeen = true;
    return { ...body, fromCache: r.status === 304 && Boolean(cached) };
  }

  async authorize(req: AuthorizeRequest): Promise<Decision> {
    return (await this.call<Decision>("POST", "/api/v1/runtime/authorize", req)).body!;
  }

  /**
   * Waits until a person decides the approval (or it expires): long-polls 30 s at a time, up to `timeoutMs`
   * (default 15 minutes, the default approval timeout). Answers the approval as it stands then.
   */
  async waitForApproval(approvalId: string, opts: { timeoutMs?: number } = {}): Promise<RuntimeApproval> {
    const deadline = Date.now() + (opts.timeoutMs ?? 15 * 60_000);
    for (;;) {
      const wait = Math.max(0, Math.min(30, Math.ceil((deadline - Date.now()) / 1000)));
      const asked = Date.now();
      const r = await this.withRetries(() =>
        this.call<RuntimeApproval>("GET", `/api/v1/runtime/approvals/${encodeURIComponent(approvalId)}?wait=${wait}`),
      );
      if (r.body!.status !== "pending" || Date.now() >= deadline) return r.body!;
      // Answered pending early (the server holds a few polls per agent at once): ask again a second later, not at once.
      const early = 1000 - (Date.now() - asked);
      if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));
    }
  }

  /**
   * authorize, and when a rule asks for a person's approval, wait for it and redeem it: the answer is the final
   * decision (allow or degrade once approved; deny with approval_denied or approval_expired otherwise).
   */
  async authorizeAndWait(req: AuthorizeRequest, opts: { timeoutMs?: number } = {}): Promise<Decision> {
    const first = await this.authorize(req);
    if (first.decision !== "pending" || !first.approvalId) return first;
    await this.waitForApproval(first.approvalId, opts);
    return this.authorize({ ...req, approvalId: first.approvalId });
  }

  /** Queues an event; its id is fixed now, so every retry of its batch is deduplicated by the server. */
  recordUsage(e: UsageEvent): string {
    const id = e.id ?? globalThis.crypto.randomUUID();
    const { routingKey, ...event } = e;
    const forKey = routingKey === undefined ? undefined : this.cached.get(routingKey)?.body.version.number;
    const version = e.version ?? forKey ?? (this.canarySeen ? undefined : this.lastVersion);
    this.queue.push({
      ...event,
      id,
      timestamp: e.timestamp ?? new Date().toISOString(),
      ...(version === undefined ? {} : { version }),
    });
    return id;
  }

  /** Sends queued usage in batches. Retries network errors, 429 and 5xx with exponential back-off, reusing the same event ids. */
  async flush(): Promise<UsageResult> {
    const total: UsageResult = { accepted: 0, duplicates: 0, unpriced: 0, costUsd: 0 };
    while (this.queue.length) {
      const batch = this.queue.slice(0, this.batchSize);
      const r = await this.withRetries(() =>
        this.call<UsageResult>("POST", "/api/v1/runtime/usage", { events: batch }),
      );
      this.queue.splice(0, batch.length);
      total.accepted += r.body!.accepted;
      total.duplicates += r.body!.duplicates;
      total.unpriced += r.body!.unpriced;
      total.costUsd += r.body!.costUsd;
    }
    return total;
  }

  /**
   * Reports outcomes, 1,000 a request (each all or nothing; ids fixed before the first try, so a retry is deduplicated). An undefined type,
   * or one this agent is not listed to report, is refused (AcpError 422, not retried).
   */
  async reportOutcomes(outcomes: OutcomeEvent[]): Promise<{ accepted: number; duplicates: number }> {
    const batch = outcomes.map((o) => ({
      ...o,
      id: o.id ?? globalThis.crypto.randomUUID(),
      timestamp: o.timestamp ?? new Date().toISOString(),
      ...(o.version === undefined && this.lastVersion !== undefined && !this.canarySeen
        ? { version: this.lastVersion }
        : {}),
    }));
    const total = { accepted: 0, duplicates: 0 };
    for (let i = 0; i < batch.length; i += 1000) {
      const outcomes = batch.slice(i, i + 1000);
      const r = await this.withRetries(() =>
        this.call<{ accepted: number; duplicates: number }>("POST", "/api/v1/runtime/outcomes", { outcomes }),
      );
      total.accepted += r.body!.accepted;
      total.duplicates += r.body!.duplicates;
    }
    return total;
  }

  get pending(): number {
    return this.queue.length;
  }

  private async withRetries<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const retryable = !(err instanceof AcpError) || err.status === 429 || err.status >= 500;
        if (!retryable || attempt >= this.maxRetries) throw err;
        await new Promise((r) => setTimeout(r, this.retryBaseMs * 2 ** attempt));
      }
    }
  }
}
