import { GeistMono } from "geist/font/mono";
import { GeistSans } from "geist/font/sans";
import type { Metadata } from "next";
import { connection } from "next/server";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Agent Control Plane", template: "%s · Agent Control Plane" },
  description: "Govern your AI agents like production services.",
};

/**
 * Every page renders per request (connection()), the not-found page too: its scripts carry the request's CSP nonce
 * (proxy.ts), which a page prerendered at build time could not.
 */
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  await connection();
  return (
    <html lang="en" className={`${GeistSans.variable} ${GeistMono.variable}`}>
      <body className="min-h-screen font-sans">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
