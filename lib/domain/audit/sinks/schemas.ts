import net from "node:net";
import { z } from "zod";
import { currentPasswordField } from "../../users/schemas";
import { withoutUserinfo } from "../../webhooks/schemas";

export const AUDIT_SINK_KINDS = ["https", "splunk_hec", "syslog"] as const;
export type AuditSinkKind = (typeof AUDIT_SINK_KINDS)[number];

const HTTP_URL = /^https?:\/\/\S+$/i;
/** tcp://host:port or tls://host:port (a name, an IPv4 address or a bracketed IPv6 address). */
const SYSLOG_URL = /^(tcp|tls):\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/;

/**
 * What an admin may give: the URL's form by the sink's kind, never credentials in the URL (they would be listed and
 * audited: an https sink signs with its own secret, a Splunk sink sends its token in a header). Whether http:// is
 * allowed depends on the deployment (createAuditSink).
 */
export const AuditSinkInputSchema = z
  .object({
    name: z.string().trim().min(1, "give it a name").max(100),
    kind: z.enum(AUDIT_SINK_KINDS, { error: "https, splunk_hec or syslog" }),
    url: z.string().trim().min(1, "where to send the trail").max(2000),
    token: z
      .string()
      .trim()
      .max(500)
      .regex(/^[\x21-\x7e]*$/, "printable characters only, no spaces")
      .optional()
      .meta({ description: "Splunk HEC only: the HEC token" }),
    startFrom: z
      .enum(["beginning", "now"])
      .default("beginning")
      .meta({ description: "Send the whole retained trail first (default), or only what is written from now on" }),
    currentPassword: currentPasswordField,
  })
  .superRefine((v, ctx) => {
    const problem = urlProblem(v.kind, v.url);
    if (problem) ctx.addIssue({ code: "custom", path: ["url"], message: problem });
    if (v.kind === "splunk_hec" && !v.token)
      ctx.addIssue({ code: "custom", path: ["token"], message: "the HEC token Splunk issued for this input" });
    if (v.kind !== "splunk_hec" && v.token)
      ctx.addIssue({ code: "custom", path: ["token"], message: "only a Splunk HEC sink takes a token" });
  });

const EXAMPLE = {
  https: "https://siem.example.com/acp/audit",
  splunk_hec: "https://splunk.example.com:8088/services/collector/event",
  syslog: "tls://siem.example.com:6514 (or tcp://…)",
} as const;

/** Query parameters that carry credentials (HEC's ?token=, api keys, signatures). */
const SECRET_PARAM = /token|key|secret|sig|auth|pass|credential/i;

function urlProblem(kind: AuditSinkKind, url: string): string | null {
  const m = kind === "syslog" ? SYSLOG_URL.exec(url) : HTTP_URL.exec(url);
  const parsed = m && URL.canParse(url) ? new URL(url) : null;
  if (!parsed) return `use a URL like ${EXAMPLE[kind]}`;
  if (!withoutUserinfo(url) || [...parsed.searchParams.keys()].some((k) => SECRET_PARAM.test(k)))
    return "no credentials in the URL: it is listed and audited (a Splunk token goes in the token field)";
  if (kind === "syslog") {
    const port = Number(m![3]);
    const host = m![2];
    if (port < 1 || port > 65_535) return "a port from 1 to 65535";
    if (host.startsWith("[") && !net.isIPv6(host.slice(1, -1))) return `${host} is not an IPv6 address`;
  }
  return null;
}
export type AuditSinkInput = z.input<typeof AuditSinkInputSchema>;

/** A sink as listed (never its secret or token), with how far behind the chain head it is. */
export const AuditSinkSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(AUDIT_SINK_KINDS),
    url: z.string(),
    secretPrefix: z.string().nullable().meta({ description: "The start of its signing secret or HEC token" }),
    ackedPosition: z.string().meta({ description: "The last audit position the receiver acknowledged" }),
    lag: z.number().int().meta({ description: "Audit events written but not yet acknowledged" }),
    lastDeliveredAt: z.iso.datetime().nullable(),
    lastError: z.string().nullable(),
    lastErrorAt: z.iso.datetime().nullable(),
    failures: z.number().int().meta({ description: "Consecutive failed attempts (0 once delivering again)" }),
    nextAttemptAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    removalRequestId: z
      .string()
      .nullable()
      .optional()
      .meta({ description: "In lists: the change request to delete it, while it waits for a second admin" }),
    removalUnreceived: z.number().int().optional().meta({
      description:
        "In lists, while its deletion waits: audit events it has yet to receive up to that request (0 once it has it). Above 0, approving the deletion needs a note saying why it goes without them",
    }),
  })
  .meta({ id: "AuditSink" });
export const NewAuditSinkSchema = AuditSinkSchema.extend({
  secret: z
    .string()
    .nullable()
    .meta({ description: "An https sink's signing secret, shown only in this response (null for other kinds)" }),
}).meta({ id: "NewAuditSink" });
