/** See direct-routes.mjs. */
export declare const DIRECT_ROUTES: readonly string[];
