import type { Role } from "@/lib/db/generated/enums";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string; role: Role; teamIds: string[] };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid: string;
    role: Role;
    teamIds: string[];
  }
}
