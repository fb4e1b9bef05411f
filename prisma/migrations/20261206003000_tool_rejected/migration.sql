-- A held tool's change that an admin rejected: still refused, no longer waiting for review (lib/domain/tools).
ALTER TYPE "ToolStatus" ADD VALUE 'rejected';
