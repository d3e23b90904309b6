import { apiKeyFrom, randomUuid, uuidFrom } from "./ids";
import { SEED_TIME } from "./routes-campaigns";
import type { Store } from "./store";
import type { CampaignRow, LeadRow, NodeRow } from "./types";

/**
 * Deterministic seed data: a demo user with a draft campaign, an `ai` node and leads, a non-draft
 * campaign, and a second user with a campaign of their own.
 *
 * @module
 */

/**
 * What the seed created; exposed as `emulator.demo`.
 *
 * @example
 * ```ts
 * const { apiKey, campaignId, nodeId, leads, otherUser } = emu.demo;
 * ```
 */
export interface EmulatorDemo {
  /** The demo user's API key (`pk_live_` + 64 hex, the same on every run). */
  apiKey: string;
  /** The demo user's id. */
  userId: string;
  /** A draft email campaign owned by the demo user. */
  campaignId: string;
  /** A `type: "ai"` node of {@link EmulatorDemo.campaignId}. */
  nodeId: string;
  /** A node of the same campaign whose type is not `ai` (`"email"`). */
  nonAiNodeId: string;
  /**
   * The content nodes of {@link EmulatorDemo.campaignId} in sequence order: `ai`, `email`, then
   * an `email` follow-up after a 2-day delay (an `end` node closes the sequence): what
   * `puffle-chat draft-campaign` drafts.
   */
  contentNodeIds: string[];
  /** A campaign of the demo user that is not a draft (`status: "active"`), with an `ai` node. */
  activeCampaignId: string;
  /** The `ai` node of {@link EmulatorDemo.activeCampaignId}. */
  activeNodeId: string;
  /** Five sample leads of the draft campaign (snake_case fields). */
  leads: LeadRow[];
  /** A second user, whose objects the demo user must not see (404). */
  otherUser: { apiKey: string; userId: string; campaignId: string; nodeId: string };
  /**
   * A draft email campaign ready to be finished: `email` (empty subject and body) → `delay`
   * (3 days) → `email` follow-up (`is_reply`) → `end`, with three prospects.
   */
  emailCampaign: {
    campaignId: string;
    /** The first email node. */
    nodeId: string;
    delayNodeId: string;
    followUpNodeId: string;
    endNodeId: string;
    prospects: LeadRow[];
  };
  /**
   * A draft campaign whose first step is an `ai` node (`ai_node: { purpose, output_type }`) →
   * `end`, with four prospects (one with an accented name, matched after normalisation).
   */
  aiCampaign: {
    campaignId: string;
    /** The `ai` node. */
    nodeId: string;
    endNodeId: string;
    prospects: LeadRow[];
  };
}

const SAMPLE_LEADS: Omit<LeadRow, "id" | "campaign_id">[] = [
  {
    first_name: "Ada",
    last_name: "Lovelace",
    company: "Analytical Engines",
    position: "VP of Sales",
    email: "ada@analytical.example",
  },
  {
    first_name: "Grace",
    last_name: "Hopper",
    company: "Cobol Systems",
    position: "Head of Revenue",
    email: "grace@cobol.example",
  },
  {
    first_name: "Alan",
    last_name: "Turing",
    company: "Enigma Labs",
    position: "Sales Director",
    email: "alan@enigma.example",
  },
  {
    first_name: "Katherine",
    last_name: "Johnson",
    company: "Orbit Analytics",
    position: "CRO",
    email: "katherine@orbit.example",
  },
  {
    first_name: "Linus",
    last_name: "Torvalds",
    company: "Kernel Works",
    position: "VP of Sales",
    email: "linus@kernel.example",
  },
];

/** Fill `store` with the demo data and describe it. */
export function seedDemo(store: Store): EmulatorDemo {
  const userId = uuidFrom("user/demo");
  const apiKey = apiKeyFrom("demo");
  store.users.set(userId, { id: userId, apiKey, credits: 100 });

  const base = { user_id: userId, status: "draft", type: "email" };
  const campaignId = addCampaign(store, "demo", { ...base, name: "Demo outbound" });
  const demoNodes = addSequence(store, campaignId, "demo", {
    ai: { type: "ai" },
    email: { type: "email", subject: "", body: "" },
    delay: { type: "delay", delay_days: 2 },
    "follow-up": { type: "email", subject: "", body: "", is_reply: true },
    end: { type: "end" },
  });

  const activeCampaignId = addCampaign(store, "demo-active", {
    ...base,
    name: "Live outbound",
    status: "active",
  });
  const activeNodes = addSequence(store, activeCampaignId, "demo-active", { ai: { type: "ai" } });

  const leads: LeadRow[] = SAMPLE_LEADS.map((lead, i) => ({
    id: uuidFrom(`lead/demo/${i}`),
    campaign_id: campaignId,
    ...lead,
    full_name: `${lead.first_name} ${lead.last_name}`,
    custom_fields: { source: "emulator" },
  }));
  for (const lead of leads) store.leads.set(lead.id, lead);

  const otherUser = seedOtherUser(store);

  const launch = { ...base, created_at: SEED_TIME, updated_at: SEED_TIME };
  const emailCampaign = seedEmailCampaign(store, launch);
  const aiCampaign = seedAiCampaign(store, launch);

  return {
    apiKey,
    userId,
    campaignId,
    nodeId: demoNodes.ai,
    nonAiNodeId: demoNodes.email,
    contentNodeIds: [demoNodes.ai, demoNodes.email, demoNodes["follow-up"]],
    activeCampaignId,
    activeNodeId: activeNodes.ai,
    leads: leads.map((l) => structuredClone(l)),
    otherUser,
    emailCampaign,
    aiCampaign,
  };
}

/** A second user with a draft campaign and an `ai` node: objects the demo user must not see. */
function seedOtherUser(store: Store): EmulatorDemo["otherUser"] {
  const userId = uuidFrom("user/other");
  const apiKey = apiKeyFrom("other");
  store.users.set(userId, { id: userId, apiKey });
  const campaignId = addCampaign(store, "other", {
    user_id: userId,
    name: "Someone else's",
    status: "draft",
    type: "email",
  });
  const nodes = addSequence(store, campaignId, "other", { ai: { type: "ai" } });
  return { apiKey, userId, campaignId, nodeId: nodes.ai };
}

/** Add the campaign `campaign/{label}` (a deterministic id); its id. */
function addCampaign(store: Store, label: string, row: Omit<CampaignRow, "id">): string {
  const id = uuidFrom(`campaign/${label}`);
  store.campaigns.set(id, { id, ...row });
  return id;
}

/**
 * Add the sequence `steps` to `campaignId`, positions in their order, each node with the
 * deterministic id of `node/{label}/{step}`; the ids by step.
 */
function addSequence<K extends string>(
  store: Store,
  campaignId: string,
  label: string,
  steps: Record<K, Omit<NodeRow, "id" | "campaign_id" | "position">>,
): Record<K, string> {
  const ids = {} as Record<K, string>;
  for (const [position, [step, row]] of Object.entries<
    Omit<NodeRow, "id" | "campaign_id" | "position">
  >(steps).entries()) {
    const id = uuidFrom(`node/${label}/${step}`);
    store.nodes.set(id, { id, campaign_id: campaignId, ...row, position });
    ids[step as K] = id;
  }
  return ids;
}

function addProspects(
  store: Store,
  campaignId: string,
  label: string,
  people: Omit<LeadRow, "id" | "campaign_id">[],
): LeadRow[] {
  return people.map((person, i) => {
    const row: LeadRow = {
      id: uuidFrom(`lead/${label}/${i}`),
      campaign_id: campaignId,
      ...person,
      status: "pending",
    };
    store.leads.set(row.id, row);
    return structuredClone(row);
  });
}

/** The fields both launch campaigns share: the demo user's, draft, email, created at SEED_TIME. */
type LaunchFields = Omit<CampaignRow, "id" | "name">;

function seedEmailCampaign(store: Store, launch: LaunchFields): EmulatorDemo["emailCampaign"] {
  const campaignId = addCampaign(store, "email-launch", {
    ...launch,
    name: "Email launch",
    daily_limit: 50,
    stop_on_reply: true,
    open_tracking: false,
    signature: "Best,\n%first_name%",
  });
  const email = { type: "email", subject: "", body: "", ai_node: null };
  const nodes = addSequence(store, campaignId, "email-launch", {
    email: { ...email, is_reply: false },
    delay: { type: "delay", delay_days: 3, ai_node: null },
    "follow-up": { ...email, is_reply: true },
    end: { type: "end", ai_node: null },
  });
  const prospects = addProspects(store, campaignId, "email-launch", SAMPLE_LEADS.slice(0, 3));
  return {
    campaignId,
    nodeId: nodes.email,
    delayNodeId: nodes.delay,
    followUpNodeId: nodes["follow-up"],
    endNodeId: nodes.end,
    prospects,
  };
}

function seedAiCampaign(store: Store, launch: LaunchFields): EmulatorDemo["aiCampaign"] {
  const campaignId = addCampaign(store, "ai-launch", { ...launch, name: "AI launch" });
  const nodes = addSequence(store, campaignId, "ai-launch", {
    ai: {
      type: "ai",
      ai_node: { purpose: "Intro email to a sales leader", output_type: "email" },
    },
    end: { type: "end", ai_node: null },
  });
  const prospects = addProspects(store, campaignId, "ai-launch", [
    ...SAMPLE_LEADS.slice(0, 3),
    {
      first_name: "José",
      last_name: "Álvarez",
      company: "Ibérica Ventas",
      position: "CRO",
      email: "jose@iberica.example",
    },
  ]);
  return { campaignId, nodeId: nodes.ai, endNodeId: nodes.end, prospects };
}

/**
 * Options of `Emulator.seedCampaign`: the sequence's nodes in order (each a node row's type and
 * content), and the campaign's fields.
 *
 * @example
 * ```ts
 * const spec: SeedCampaignOptions = { nodes: [{ type: "email" }, { type: "delay", delay_days: 2 }, { type: "ai" }] };
 * ```
 */
export interface SeedCampaignOptions {
  /** The nodes, in sequence order; an `end` node is added after them unless `end: false`. */
  nodes: Array<
    { type: string } & Partial<Omit<NodeRow, "id" | "campaign_id" | "type" | "position">>
  >;
  /** Add the terminal `end` node. Default `true`. */
  end?: boolean;
  /** Default: the demo user's. */
  userId?: string;
  /** Default `"draft"`. */
  status?: string;
  /** Default `"Seeded campaign"`. */
  name?: string;
  /** Leads (prospects) of the campaign. */
  leads?: Omit<LeadRow, "id" | "campaign_id">[];
}

/**
 * What `Emulator.seedCampaign` created.
 *
 * @example
 * ```ts
 * const { campaignId, nodeIds, contentNodeIds } = emu.seedCampaign({ nodes: [{ type: "email" }, { type: "ai" }] });
 * ```
 */
export interface SeededCampaign {
  campaignId: string;
  /** Every node given, in order (the `end` node not included). */
  nodeIds: string[];
  /** The `email` and `ai` nodes among them, in order. */
  contentNodeIds: string[];
  /** The `end` node, or null with `end: false`. */
  endNodeId: string | null;
  leads: LeadRow[];
}

/** Add a campaign with the given sequence (random ids); its ids. */
export function seedCampaign(
  store: Store,
  userId: string,
  options: SeedCampaignOptions,
): SeededCampaign {
  const campaignId = randomUuid();
  const now = new Date().toISOString();
  store.campaigns.set(campaignId, {
    id: campaignId,
    user_id: options.userId ?? userId,
    name: options.name ?? "Seeded campaign",
    status: options.status ?? "draft",
    type: "email",
    created_at: now,
    updated_at: now,
  });
  const rows = [...options.nodes, ...(options.end === false ? [] : [{ type: "end" }])];
  const ids = rows.map((row, position) => {
    const id = randomUuid();
    const content = row.type === "email" ? { subject: "", body: "" } : {};
    store.nodes.set(id, {
      ...content,
      ai_node: null,
      ...structuredClone(row),
      id,
      campaign_id: campaignId,
      position,
    });
    return id;
  });
  const nodeIds = ids.slice(0, options.nodes.length);
  const leads = (options.leads ?? []).map((lead) => {
    const row: LeadRow = { ...lead, id: randomUuid(), campaign_id: campaignId, status: "pending" };
    store.leads.set(row.id, row);
    return structuredClone(row);
  });
  return {
    campaignId,
    nodeIds,
    contentNodeIds: nodeIds.filter((_, i) =>
      ["email", "ai"].includes(options.nodes[i]?.type ?? ""),
    ),
    endNodeId: options.end === false ? null : (ids.at(-1) ?? null),
    leads,
  };
}
