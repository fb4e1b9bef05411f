-- CreateEnum
CREATE TYPE "RuleMode" AS ENUM ('enforce', 'shadow');

-- AlterTable
ALTER TABLE "decisions" ADD COLUMN     "shadow" JSONB;

-- AlterTable
ALTER TABLE "permission_rules" ADD COLUMN     "mode" "RuleMode" NOT NULL DEFAULT 'enforce';
