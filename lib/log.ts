import pino from "pino";

/**
 * Structured JSON logs (one line per event) with request ids. Credentials never reach a log line: only the fields
 * passed are written, and the usual places secrets hide are redacted anyway.
 */
export const log = pino(
  {
    level: process.env.LOG_LEVEL ?? "info",
    base: { service: "agent-control-plane" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        "authorization",
        "headers.authorization",
        "headers.cookie",
        "cookie",
        "token",
        "password",
        "secret",
        "*.token",
        "*.password",
        "*.secret",
      ],
      censor: "[redacted]",
    },
  },
  // LOG_FILE: write the JSON lines to a file instead of stdout (the tests scan it for secrets).
  process.env.LOG_FILE ? pino.destination({ dest: process.env.LOG_FILE, sync: false, mkdir: true }) : undefined,
);
