/** See direct-routes.mjs. */
export declare const DIRECT_ROUTES: readonly string[];
export declare const DATA_PLANE_PROBES: readonly string[];
export declare const DATA_PLANE_NODE_ARGS: readonly string[];
