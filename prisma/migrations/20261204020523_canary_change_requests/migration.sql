-- AlterEnum
ALTER TYPE "ChangeKind" ADD VALUE 'canary';
