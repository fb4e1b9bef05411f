-- CreateEnum
CREATE TYPE "ToolStatus" AS ENUM ('trusted', 'held', 'removed');

-- AlterTable
ALTER TABLE "agents" ADD COLUMN     "catalogToolsOnly" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "permission_rules" ADD COLUMN     "toolAnnotation" TEXT;

-- CreateTable
CREATE TABLE "mcp_servers" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT,
    "description" TEXT NOT NULL DEFAULT '',
    "lastImportedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mcp_servers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mcp_tools" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT,
    "description" TEXT NOT NULL DEFAULT '',
    "inputSchema" JSONB NOT NULL DEFAULT '{}',
    "readOnlyHint" BOOLEAN NOT NULL DEFAULT false,
    "destructiveHint" BOOLEAN NOT NULL DEFAULT true,
    "idempotentHint" BOOLEAN NOT NULL DEFAULT false,
    "openWorldHint" BOOLEAN NOT NULL DEFAULT true,
    "status" "ToolStatus" NOT NULL DEFAULT 'trusted',
    "pending" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "mcp_tools_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "mcp_servers_name_key" ON "mcp_servers"("name");

-- CreateIndex
CREATE UNIQUE INDEX "mcp_tools_serverId_name_key" ON "mcp_tools"("serverId", "name");

-- AddForeignKey
ALTER TABLE "mcp_tools" ADD CONSTRAINT "mcp_tools_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "mcp_servers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
