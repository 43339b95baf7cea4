/** RFC 3339 `date-time` as ajv-formats' full check accepts it; see date-time.js. */
export declare function dateTime(str: string): boolean;
