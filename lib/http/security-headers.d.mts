/** See security-headers.mjs. */
export declare function contentSecurityPolicy(dev: boolean, nonce?: string): string;
export declare function securityHeaders(dev: boolean): { key: string; value: string }[];
