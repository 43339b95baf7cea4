/**
 * Whether moto's server can be started for the tests that run against it (test/dev/*): locally a
 * missing moto skips them; in CI (`CI` set) it is an error, since `.ci/run` runs on machines that
 * have it and a silent skip would hide every such test.
 */
import { findMotoServer, motoInstallHint } from '../../generator/dev/moto-server.js';

export const motoAvailable = findMotoServer() !== undefined;
if (!motoAvailable && process.env.CI) throw new Error(`moto_server is required in CI. ${motoInstallHint}`);
