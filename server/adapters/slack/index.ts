/** Slack: posts through an incoming webhook. The only module that talks to Slack. */
export { createSlackWebhook, type SlackWebhookOptions } from "./slack-webhook.js";
export {
  escapeMrkdwn,
  reviewDigestMessage,
  type SlackBlock,
  type SlackMessage,
} from "./review-blocks.js";
