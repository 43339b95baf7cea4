/**
 * getHealth: GET /health — Health check (public: `security: []`).
 */
import { type GetHealthImplementation, getHealthHandler } from '../../../generated/handlers/get-health.js';

export const getHealth: GetHealthImplementation = async () => ({
  status: 200,
  body: { status: 'ok', version: process.env.SERVICE_VERSION ?? '1.0.0' },
});

/** The Lambda entry point (API Gateway HTTP API, payload format 2.0). */
export const handler = getHealthHandler(getHealth, { validateResponses: true });
