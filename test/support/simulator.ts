// The provider simulator every replay test runs against: see simulator/server.ts.

export type { Answer, Mutation } from "./simulator/answers.ts";
export type { Fault, RecordingSelector } from "./simulator/faults.ts";
export type { LoggedRequest, Simulator, SimulatorOptions, UnmatchedRequest } from "./simulator/server.ts";
export { hostUrl, startSimulator } from "./simulator/server.ts";
