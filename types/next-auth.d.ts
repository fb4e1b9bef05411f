import type { Role } from "@/lib/db/generated/enums";

declare module "next-auth" {
  interface Session {
    user: {
      id: string;
      email: string;
      name: string;
      role: Role;
      teamIds: string[];
      sessionId: string;
      mustChangePassword: boolean;
    };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** The server-side session's id (user_sessions.id). */
    sid: string;
    uid: string;
    role: Role;
    teamIds: string[];
    mustChangePassword?: boolean;
  }
}
