/** The model gateway: the one place that holds the model API key, meters and says no. */
export { OPENAI_API_URL, startModelGateway } from "./model-gateway.js";
export type { ModelGateway, ModelGatewayOptions } from "./model-gateway.js";
export type { GatewayGrant } from "./token-registry.js";
export { SseUsageTap, toModelUsage } from "./sse-usage-tap.js";
