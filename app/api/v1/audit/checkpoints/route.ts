import { z } from "zod";
import { listCheckpoints, signCheckpointNow } from "@/lib/domain/audit/checkpoints";
import { personRoute } from "@/lib/http/route";

const CheckpointSchema = z
  .object({
    position: z.string(),
    hash: z.string(),
    signedAt: z.iso.datetime(),
    keyId: z.string(),
    signature: z.string().meta({ description: "Ed25519 over the canonical JSON payload (see the README), base64url" }),
  })
  .meta({ id: "AuditCheckpoint" });

export const GET = personRoute(
  {
    tags: ["audit"],
    summary: "Signed checkpoints of the audit chain, newest first (auditors and admins)",
    description:
      "Each signs the chain's position and hash at a moment with a key kept outside the database; the public keys are at /.well-known/acp-audit-keys.json.",
    query: z.object({
      before: z
        .string()
        .regex(/^\d{1,18}$/) // within PostgreSQL's bigint (a 19-digit one may not be)
        .optional()
        .meta({ description: "nextCursor of the previous page (a position)" }),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
    response: z.object({ items: z.array(CheckpointSchema), nextCursor: z.string().nullable() }),
  },
  async ({ actor, query }) =>
    listCheckpoints(actor, { before: query.before ? BigInt(query.before) : undefined, limit: query.limit }),
);

export const POST = personRoute(
  {
    tags: ["audit"],
    summary: "Sign a checkpoint of the chain head now (admins); null when the head has not moved since the last",
    description:
      "409 checkpoint_refused when the event this server last signed no longer carries the signed hash (the trail was rewritten or cut): nothing is signed until the server restarts.",
    response: z.object({ checkpoint: CheckpointSchema.nullable() }),
    errors: [409],
  },
  async ({ actor }) => signCheckpointNow(actor),
);
