// `loyal mcp`: the book as a Model Context Protocol server, on the official SDK's Server. Tool
// names are stable snake_case; their input schemas are the zod schemas of ./schemas (the
// record schemas the CLI checks flags with), listed as JSON Schema and checked here, so a
// refusal starts with the argument at fault, as the CLI's start with the flag ("due: must be
// a date written YYYY-MM-DD. Nothing was written."). Every call first looks at the disk (a stat when
// nothing changed), so a change by the editor, the CLI or `git pull` is seen; a file that
// cannot be read makes every tool answer with the file's error, and nothing is written.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool, type ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { DataFileError } from '../../store/errors';
import type { LoyalStore } from '../../store/store';
import { describeDataFileError } from '../report';
import {
  AddFollowUpInput,
  CompleteFollowUpInput,
  CustomerInput,
  FindCustomersInput,
  LogContactInput,
  LogIncidentInput,
  MorningReviewInput,
  RecordPurchaseInput,
  ResolveIncidentInput,
  TrendsInput,
} from './schemas';
import { LoyalTools, ToolError, type ToolAnswer, type ToolContext } from './tools';

export const READ_TOOLS = ['morning_review', 'find_customers', 'customer', 'trends'] as const;
export const WRITE_TOOLS = ['log_incident', 'resolve_incident', 'complete_follow_up', 'add_follow_up', 'record_purchase', 'log_contact'] as const;

const READ: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
/** Adds records only. */
const ADDS: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };
/** Changes records that exist (resolution, outcome, a reopened recovery); deletes nothing. */
const CHANGES: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false };

const INSTRUCTIONS = `Loyal is the owner's follow-up and loyalty CRM (customers, purchases, incidents, follow-ups, handwritten notes). \
Start the day with morning_review (most valuable first). Look customers up with find_customers and pass their id to customer and to the write tools: ids are never guessed from names. \
Service recovery: log_incident, then resolve_incident (plans the satisfaction check and, when warranted, a handwritten note), then complete_follow_up with the customer's answer (not satisfied reopens the recovery). \
Amounts are decimal strings such as "129.90"; days are YYYY-MM-DD; times such as 2026-03-02T09:15 are local time. No tool deletes anything.`;

export interface McpServerOptions extends Omit<ToolContext, 'store'> {
  store: LoyalStore;
  readOnly: boolean;
  version: string;
}

function answer(result: ToolAnswer): CallToolResult {
  return {
    content: [
      { type: 'text', text: result.text },
      { type: 'text', text: JSON.stringify(result.data) },
    ],
    structuredContent: result.data,
  };
}

function failure(text: string, error: Record<string, unknown>): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }], structuredContent: { error } };
}

function fileFailure(error: DataFileError): CallToolResult {
  const lines = describeDataFileError(error).map((line, i) => (i === 0 ? line.replace(/^loyal: /, '') : line));
  return failure(`The Loyal data file cannot be used, so nothing was read or written: ${lines.join('\n')}\nFix the file (the editor shows where), then call again.`, {
    kind: error.kind,
    message: error.message,
    ...(error.filePath ? { file: error.filePath } : {}),
    problems: error.problems.slice(0, 50),
  });
}

export function createLoyalMcpServer(options: McpServerOptions): Server {
  const server = new Server({ name: 'loyal', title: 'Loyal CRM', version: options.version }, { instructions: INSTRUCTIONS, capabilities: { tools: {} } });
  const { store } = options;
  const tools = new LoyalTools(options);

  /** Runs one call on the book as it is on disk now, and turns refusals into tool errors. */
  const call = async (run: () => ToolAnswer | Promise<ToolAnswer>): Promise<CallToolResult> => {
    try {
      await store.reload();
      const state = store.state;
      if (state.kind === 'broken') return fileFailure(state.error);
      if (state.kind === 'missing')
        return failure(`There is no Loyal data file at ${store.path}: create one in the editor ("Loyal: Create Data File") or with "loyal init".`, { kind: 'missing', file: store.path });
      return answer(await run());
    } catch (error) {
      if (error instanceof ToolError)
        return failure(error.field ? `${error.field}: ${error.message}. Nothing was written.` : `${error.message} Nothing was written.`, {
          ...(error.field ? { field: error.field } : {}),
          message: error.message,
        });
      if (error instanceof DataFileError) return fileFailure(error);
      return failure(`Loyal could not do this: ${(error as Error)?.message ?? String(error)}`, { message: (error as Error)?.message ?? String(error) });
    }
  };

  interface LoyalTool {
    definition: Tool;
    input: z.ZodObject;
    run: (input: never) => ToolAnswer | Promise<ToolAnswer>;
  }
  const registered = new Map<string, LoyalTool>();
  const register = <S extends z.ZodObject>(
    name: string,
    title: string,
    description: string,
    input: S,
    annotations: ToolAnnotations,
    run: (input: z.output<S>) => ToolAnswer | Promise<ToolAnswer>,
  ): void => {
    const inputSchema = z.toJSONSchema(input, { io: 'input', target: 'draft-7' }) as Tool['inputSchema'];
    delete (inputSchema as Record<string, unknown>).$schema;
    registered.set(name, { definition: { name, title, description, inputSchema, annotations: { title, ...annotations } }, input, run: run as LoyalTool['run'] });
  };

  register(
    'morning_review',
    'Morning review',
    'What to do today: follow-ups overdue and due today (highest value at stake first), handwritten notes to write or post, customers at risk and customers gone quiet (most valuable first). Each entry has the customer id, name and value at stake or lifetime value (in cents).',
    MorningReviewInput,
    READ,
    (input) => tools.morningReview(input),
  );
  register(
    'find_customers',
    'Find customers',
    'Customers by text, tag, at risk or gone quiet, sorted by value, name, last contact or risk, with their id, lifetime value (LTV) and what they have paid so far. Use the id with customer and the write tools.',
    FindCustomersInput,
    READ,
    (input) => tools.findCustomers(input),
  );
  register(
    'customer',
    'Customer',
    'One customer: details, lifetime value with its explanation (model, inputs, the formula with the numbers), chance of buying again (pAlive, expected purchases in 12 months, where the model gives them), risk, open incidents with their recovery outlook and progress, pending follow-ups, notes, and the recent timeline.',
    CustomerInput,
    READ,
    (input) => tools.customer(input),
  );
  register(
    'trends',
    'Trend review',
    'Incidents over a date range, with filters: the top 5 complaints, counts by category, channel, severity, cause and component, spikes (one staff member at one hour well above expected), incidents per week before and after each release, recovery outcomes and the monthly scorecard.',
    TrendsInput,
    READ,
    (input) => tools.trends(input),
  );
  if (!options.readOnly) {
    register(
      'log_incident',
      'Log incident',
      'Records a complaint or failure of a customer. Returns the incident and its recovery outlook (favorable only for a first, minor, not preventable failure).',
      LogIncidentInput,
      ADDS,
      (input) => tools.logIncident(input),
    );
    register(
      'resolve_incident',
      'Resolve incident',
      'Resolves an open incident with the recovery rules: plans the satisfaction check (3 days later by default, for the current user) and, for a major or critical incident, a top-20% customer or a repeat failure, a handwritten-note reminder with a suggested text. Returns what it planned.',
      ResolveIncidentInput,
      CHANGES,
      (input) => tools.resolveIncident(input),
    );
    register(
      'complete_follow_up',
      'Complete follow-up',
      'Marks a pending follow-up done with the outcome. satisfied: false reopens the recovery of its incident and plans a new satisfaction check, as in the editor.',
      CompleteFollowUpInput,
      CHANGES,
      (input) => tools.completeFollowUp(input),
    );
    register(
      'add_follow_up',
      'Add follow-up',
      'Plans a follow-up for a customer: a satisfaction check, handwritten note, keep-in-touch or custom task, due on a day.',
      AddFollowUpInput,
      ADDS,
      (input) => tools.addFollowUp(input),
    );
    register('record_purchase', 'Record purchase', 'Records a purchase of a customer (an amount such as "129.90" on a day).', RecordPurchaseInput, ADDS, (input) => tools.recordPurchase(input));
    register('log_contact', 'Log contact', 'Records a contact with a customer (a call, an email...); it starts their keep-in-touch clock again.', LogContactInput, ADDS, (input) =>
      tools.logContact(input),
    );
  }

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [...registered.values()].map((tool) => tool.definition) }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const name = request.params.name;
    const tool = registered.get(name);
    if (!tool) {
      const why = options.readOnly && (WRITE_TOOLS as readonly string[]).includes(name) ? 'this server is read only (--read-only)' : `the tools are ${[...registered.keys()].join(', ')}`;
      return failure(`There is no tool ${name}: ${why}. Nothing was written.`, { message: `unknown tool ${name}` });
    }
    const parsed = tool.input.safeParse(request.params.arguments ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message }));
      const text = issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; ');
      return failure(`${text}. Nothing was written.`, { field: issues[0].field, message: issues[0].message, issues });
    }
    return call(() => tool.run(parsed.data as never));
  });
  return server;
}
