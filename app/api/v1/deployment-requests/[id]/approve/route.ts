export { POST } from "@/app/api/v1/change-requests/[id]/approve/route";
