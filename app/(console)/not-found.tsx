import Link from "next/link";

export default function NotFound() {
  return (
    <div className="py-16 text-center">
      <h1 className="text-lg font-semibold">Not found</h1>
      <p className="mt-1 text-sm text-slate-500">It does not exist, or you are not allowed to see it.</p>
      <Link href="/agents" className="mt-4 inline-block text-sm font-medium text-indigo-600 hover:underline">
        Back to agents
      </Link>
    </div>
  );
}
