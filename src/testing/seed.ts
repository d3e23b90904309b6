import { apiKeyFrom, uuidFrom } from "./ids";
import { SEED_TIME } from "./routes-campaigns";
import type { Store } from "./store";
import type { LeadRow } from "./types";

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

  const campaignId = uuidFrom("campaign/demo");
  store.campaigns.set(campaignId, {
    id: campaignId,
    user_id: userId,
    name: "Demo outbound",
    status: "draft",
    type: "email",
  });
  const nodeId = uuidFrom("node/demo/ai");
  store.nodes.set(nodeId, { id: nodeId, campaign_id: campaignId, type: "ai", position: 0 });
  const nonAiNodeId = uuidFrom("node/demo/email");
  store.nodes.set(nonAiNodeId, {
    id: nonAiNodeId,
    campaign_id: campaignId,
    type: "email",
    position: 1,
  });

  const activeCampaignId = uuidFrom("campaign/demo-active");
  store.campaigns.set(activeCampaignId, {
    id: activeCampaignId,
    user_id: userId,
    name: "Live outbound",
    status: "active",
    type: "email",
  });
  const activeNodeId = uuidFrom("node/demo-active/ai");
  store.nodes.set(activeNodeId, {
    id: activeNodeId,
    campaign_id: activeCampaignId,
    type: "ai",
    position: 0,
  });

  const leads: LeadRow[] = SAMPLE_LEADS.map((lead, i) => ({
    id: uuidFrom(`lead/demo/${i}`),
    campaign_id: campaignId,
    ...lead,
    full_name: `${lead.first_name} ${lead.last_name}`,
    custom_fields: { source: "emulator" },
  }));
  for (const lead of leads) store.leads.set(lead.id, lead);

  const otherUserId = uuidFrom("user/other");
  const otherKey = apiKeyFrom("other");
  store.users.set(otherUserId, { id: otherUserId, apiKey: otherKey });
  const otherCampaignId = uuidFrom("campaign/other");
  store.campaigns.set(otherCampaignId, {
    id: otherCampaignId,
    user_id: otherUserId,
    name: "Someone else's",
    status: "draft",
    type: "email",
  });
  const otherNodeId = uuidFrom("node/other/ai");
  store.nodes.set(otherNodeId, {
    id: otherNodeId,
    campaign_id: otherCampaignId,
    type: "ai",
    position: 0,
  });

  const emailCampaign = seedEmailCampaign(store, userId);
  const aiCampaign = seedAiCampaign(store, userId);

  return {
    apiKey,
    userId,
    campaignId,
    nodeId,
    nonAiNodeId,
    activeCampaignId,
    activeNodeId,
    leads: leads.map((l) => structuredClone(l)),
    otherUser: {
      apiKey: otherKey,
      userId: otherUserId,
      campaignId: otherCampaignId,
      nodeId: otherNodeId,
    },
    emailCampaign,
    aiCampaign,
  };
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

function seedEmailCampaign(store: Store, userId: string): EmulatorDemo["emailCampaign"] {
  const campaignId = uuidFrom("campaign/email-launch");
  store.campaigns.set(campaignId, {
    id: campaignId,
    user_id: userId,
    name: "Email launch",
    status: "draft",
    type: "email",
    daily_limit: 50,
    stop_on_reply: true,
    open_tracking: false,
    signature: "Best,\n%first_name%",
    created_at: SEED_TIME,
    updated_at: SEED_TIME,
  });
  const nodeId = uuidFrom("node/email-launch/email");
  const delayNodeId = uuidFrom("node/email-launch/delay");
  const followUpNodeId = uuidFrom("node/email-launch/follow-up");
  const endNodeId = uuidFrom("node/email-launch/end");
  const base = { campaign_id: campaignId };
  store.nodes.set(nodeId, {
    ...base,
    id: nodeId,
    type: "email",
    position: 0,
    subject: "",
    body: "",
    is_reply: false,
    ai_node: null,
  });
  store.nodes.set(delayNodeId, {
    ...base,
    id: delayNodeId,
    type: "delay",
    position: 1,
    delay_days: 3,
    ai_node: null,
  });
  store.nodes.set(followUpNodeId, {
    ...base,
    id: followUpNodeId,
    type: "email",
    position: 2,
    subject: "",
    body: "",
    is_reply: true,
    ai_node: null,
  });
  store.nodes.set(endNodeId, { ...base, id: endNodeId, type: "end", position: 3, ai_node: null });
  const prospects = addProspects(store, campaignId, "email-launch", SAMPLE_LEADS.slice(0, 3));
  return { campaignId, nodeId, delayNodeId, followUpNodeId, endNodeId, prospects };
}

function seedAiCampaign(store: Store, userId: string): EmulatorDemo["aiCampaign"] {
  const campaignId = uuidFrom("campaign/ai-launch");
  store.campaigns.set(campaignId, {
    id: campaignId,
    user_id: userId,
    name: "AI launch",
    status: "draft",
    type: "email",
    created_at: SEED_TIME,
    updated_at: SEED_TIME,
  });
  const nodeId = uuidFrom("node/ai-launch/ai");
  const endNodeId = uuidFrom("node/ai-launch/end");
  store.nodes.set(nodeId, {
    id: nodeId,
    campaign_id: campaignId,
    type: "ai",
    position: 0,
    ai_node: { purpose: "Intro email to a sales leader", output_type: "email" },
  });
  store.nodes.set(endNodeId, {
    id: endNodeId,
    campaign_id: campaignId,
    type: "end",
    position: 1,
    ai_node: null,
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
  return { campaignId, nodeId, endNodeId, prospects };
}
