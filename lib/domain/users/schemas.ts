import { z } from "zod";
import { withoutHidden } from "../text";
import { RECENT_SIGN_IN_MINUTES } from "./recent-sign-in";

export const ROLES = ["admin", "team_lead", "auditor", "viewer"] as const;

const name = z
  .string()
  .trim()
  .min(1, "required")
  .max(100)
  .refine((s) => withoutHidden(s, { joiners: true }) === s, "no control or text-direction characters");
const password = z.string().min(10, "at least 10 characters").max(200);
/** The optional field of every command that mints a credential: the acting person's own password. */
export const currentPasswordField = z
  .string()
  .max(1000)
  .optional()
  .meta({
    description: `Your own password: needed when you signed in more than ${RECENT_SIGN_IN_MINUTES} minutes ago (a console session; a token needs none).`,
  });

const teamIds = z.array(z.string().max(64)).max(100);

/** A team lead leads the teams they belong to: without one they would see nothing. */
function leadHasTeam(u: { role?: string; teamIds?: string[] }, ctx: z.RefinementCtx) {
  if (u.role === "team_lead" && u.teamIds !== undefined && u.teamIds.length === 0) {
    ctx.addIssue({ code: "custom", path: ["teamIds"], message: "a team lead needs at least one team" });
  }
}

export const UserInputSchema = z
  .object({
    email: z.string().trim().toLowerCase().pipe(z.email()),
    name,
    role: z.enum(ROLES),
    // Without a password the person signs in through SSO only.
    password: password.optional(),
    teamIds: teamIds.default([]),
    currentPassword: currentPasswordField,
  })
  .superRefine(leadHasTeam)
  .meta({ id: "UserInput" });
export type UserInput = z.input<typeof UserInputSchema>;

export const UserUpdateSchema = z
  .object({
    name: name.optional(),
    role: z.enum(ROLES).optional(),
    teamIds: teamIds.optional(),
    password: password.optional(),
    currentPassword: currentPasswordField,
  })
  .strict()
  .meta({ id: "UserUpdate" });
export type UserUpdate = z.input<typeof UserUpdateSchema>;

export const OwnPasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "required").max(200),
    newPassword: password,
    confirmPassword: z.string().max(200),
  })
  .superRefine((v, ctx) => {
    if (v.newPassword !== v.confirmPassword)
      ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: "does not match the new password" });
    if (v.newPassword === v.currentPassword)
      ctx.addIssue({ code: "custom", path: ["newPassword"], message: "must differ from the current password" });
  });
export type OwnPassword = z.input<typeof OwnPasswordSchema>;

export const UserStatusSchema = z
  .object({ reason: z.string().trim().max(500).optional() })
  .meta({ id: "UserStatusChange" });

export const ListUsersQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  role: z.enum(ROLES).optional(),
  teamId: z.string().max(64).optional(),
  status: z.enum(["active", "disabled"]).optional(),
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListUsersQuery = z.infer<typeof ListUsersQuerySchema>;

/** Public view of a person: never includes the password hash. */
export function publicUser(u: {
  id: string;
  email: string;
  name: string;
  role: string;
  createdAt: Date;
  disabledAt?: Date | null;
  passwordHash?: string | null;
  ssoSubject?: string | null;
  memberships?: { teamId: string }[];
}) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    status: u.disabledAt ? ("disabled" as const) : ("active" as const),
    ...(u.passwordHash !== undefined ? { signIn: u.passwordHash ? ("password" as const) : ("sso" as const) } : {}),
    ...(u.ssoSubject !== undefined ? { ssoLinked: u.ssoSubject !== null } : {}),
    ...(u.memberships ? { teamIds: u.memberships.map((m) => m.teamId).sort() } : {}),
    createdAt: u.createdAt,
  };
}

const PendingChangeSchema = z.object({ status: z.literal("pending_approval"), requestId: z.string() });

/** The response shape of `publicUser` (signIn and teamIds when the caller loaded them). */
export const PublicUserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    status: z.enum(["active", "disabled"]),
    signIn: z.enum(["password", "sso"]).optional(),
    ssoLinked: z
      .boolean()
      .optional()
      .meta({ description: "Bound to an identity provider account (at their first single sign-on)" }),
    teamIds: z.array(z.string()).optional(),
    createdAt: z.iso.datetime(),
    pendingChange: PendingChangeSchema.optional().meta({
      description: "Making the person an admin waits for a second admin: the change request.",
    }),
  })
  .meta({ id: "PublicPerson", description: "Never carries a password hash." });

/** A person as the people queries show them: with their teams. */
export const PersonSchema = PublicUserSchema.extend({
  signIn: z.enum(["password", "sso"]),
  teamIds: z.array(z.string()),
  teams: z.array(z.object({ id: z.string(), name: z.string() })),
}).meta({ id: "Person", description: "Never carries a password hash." });
