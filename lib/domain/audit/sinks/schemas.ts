import { z } from "zod";

export const AUDIT_SINK_KINDS = ["https", "splunk_hec", "syslog"] as const;
export type AuditSinkKind = (typeof AUDIT_SINK_KINDS)[number];

const HTTP_URL = /^https?:\/\/[^\s]+$/i;
/** tcp://host:port or tls://host:port (a name, an IPv4 address or a bracketed IPv6 address). */
const SYSLOG_URL = /^(tcp|tls):\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/;

export const AuditSinkInputSchema = z
  .object({
    name: z.string().trim().min(1, "give it a name").max(100),
    kind: z.enum(AUDIT_SINK_KINDS, { error: "https, splunk_hec or syslog" }),
    url: z.string().trim().min(1, "where to send the trail").max(2000),
    token: z.string().trim().max(500).optional().meta({ description: "Splunk HEC only: the HEC token" }),
    startFrom: z
      .enum(["beginning", "now"])
      .default("beginning")
      .meta({ description: "Send the whole retained trail first (default), or only what is written from now on" }),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "syslog") {
      const m = SYSLOG_URL.exec(v.url);
      if (!m || Number(m[3]) < 1 || Number(m[3]) > 65_535)
        ctx.addIssue({
          code: "custom",
          path: ["url"],
          message: "tcp://host:port or tls://host:port, e.g. tls://siem.example.com:6514",
        });
    } else if (!HTTP_URL.test(v.url) || !URL.canParse(v.url)) {
      ctx.addIssue({
        code: "custom",
        path: ["url"],
        message:
          v.kind === "splunk_hec"
            ? "the HEC endpoint, e.g. https://splunk.example.com:8088/services/collector/event"
            : "an http(s) URL, e.g. https://siem.example.com/acp/audit",
      });
    }
    if (v.kind === "splunk_hec" && !v.token)
      ctx.addIssue({ code: "custom", path: ["token"], message: "the HEC token Splunk issued for this input" });
    if (v.kind !== "splunk_hec" && v.token)
      ctx.addIssue({ code: "custom", path: ["token"], message: "only a Splunk HEC sink takes a token" });
  });
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
  })
  .meta({ id: "AuditSink" });
export const NewAuditSinkSchema = AuditSinkSchema.extend({
  secret: z
    .string()
    .nullable()
    .meta({ description: "An https sink's signing secret, shown only in this response (null for other kinds)" }),
}).meta({ id: "NewAuditSink" });
