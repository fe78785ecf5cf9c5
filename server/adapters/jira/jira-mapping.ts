import type { TicketComment } from "../../../shared/ticket.js";
import type { TrackerIssue, TrackerIssueDetail } from "../../domain/ports/issue-tracker.js";
import { adfToMarkdown } from "./adf/adf-to-markdown.js";

/** The issue fields a search asks for (Jira v3 search returns only ids unless told). */
export const SUMMARY_FIELDS = [
  "summary",
  "status",
  "issuetype",
  "priority",
  "assignee",
  "reporter",
  "labels",
  "updated",
  "project",
] as const;

/** The fields of one issue page: the summary fields plus description and comments. */
export const DETAIL_FIELDS = [...SUMMARY_FIELDS, "description", "comment"] as const;

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}

function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** A named Jira object (status, priority, user…) → its name, or null. */
function nameOf(value: unknown, property: "name" | "displayName"): string | null {
  return str(record(value)[property]);
}

/** Jira writes `2024-01-02T10:20:30.000+0000`; the domain wants ISO 8601 in UTC. */
export function toIsoDate(value: unknown): string {
  const text = str(value);
  if (text === null) return new Date(0).toISOString();
  const date = new Date(text.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

/** Maps one issue of a search or issue response. */
export function toTrackerIssue(raw: unknown, baseUrl: string): TrackerIssue {
  const issue = record(raw);
  const fields = record(issue.fields);
  const key = str(issue.key) ?? "";
  const labels = Array.isArray(fields.labels)
    ? fields.labels.filter((label): label is string => typeof label === "string")
    : [];
  return {
    key,
    project: str(record(fields.project).key) ?? key.replace(/-\d+$/, ""),
    summary: str(fields.summary) ?? "",
    status: nameOf(fields.status, "name") ?? "Unknown",
    issueType: nameOf(fields.issuetype, "name") ?? "Unknown",
    priority: nameOf(fields.priority, "name"),
    assignee: nameOf(fields.assignee, "displayName"),
    reporter: nameOf(fields.reporter, "displayName"),
    labels,
    updated: toIsoDate(fields.updated),
    url: `${baseUrl.replace(/\/+$/, "")}/browse/${key}`,
  };
}

function toComment(raw: unknown): TicketComment {
  const comment = record(raw);
  return {
    id: str(comment.id) ?? (typeof comment.id === "number" ? String(comment.id) : ""),
    author: nameOf(comment.author, "displayName") ?? "Unknown",
    // v3 bodies are ADF, v2 bodies are wiki text; adfToMarkdown passes strings through.
    body: adfToMarkdown(comment.body),
    created: toIsoDate(comment.created),
  };
}

/** Maps an issue response (v3 with ADF, or v2 with wiki text) to a detail. */
export function toTrackerIssueDetail(raw: unknown, baseUrl: string): TrackerIssueDetail {
  const fields = record(record(raw).fields);
  const comments = record(fields.comment).comments;
  return {
    ...toTrackerIssue(raw, baseUrl),
    description: fields.description == null ? "" : adfToMarkdown(fields.description),
    comments: Array.isArray(comments) ? comments.map(toComment) : [],
  };
}
