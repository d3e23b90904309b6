/**
 * Type tests of the campaign surface (checked by `tsc --noEmit`, never run): what each method
 * resolves with, and that the contract's refusals are compile errors too.
 */
import { describe, expectTypeOf, it } from "vitest";
import type {
  Campaign,
  CampaignDetail,
  FinishSessionResult,
  GeneratedMessage,
  GenerateMessagesResult,
  PuffleClient,
  SequenceNode,
} from "../../src/index";
import type { FinishStepName } from "../../src/types/index";

declare const puffle: PuffleClient;
const id = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

describe("campaign method types", () => {
  it("resolve with the documented shapes", async () => {
    expectTypeOf(await puffle.getCampaign(id)).toEqualTypeOf<CampaignDetail>();
    expectTypeOf((await puffle.getCampaign(id)).sequence_nodes).toEqualTypeOf<SequenceNode[]>();
    expectTypeOf(
      await puffle.updateSequenceNode(id, id, { subject: "s" }),
    ).toEqualTypeOf<SequenceNode>();
    expectTypeOf(await puffle.updateCampaign(id, { name: "n" })).toEqualTypeOf<Campaign>();
    expectTypeOf(
      await puffle.generateCampaignMessages(id, { action: "resolve" }),
    ).toEqualTypeOf<GenerateMessagesResult>();
    expectTypeOf(await puffle.listGeneratedMessages(id)).toEqualTypeOf<GeneratedMessage[]>();
    expectTypeOf(await puffle.finishSession(id)).toEqualTypeOf<FinishSessionResult>();
    expectTypeOf<FinishSessionResult["steps"][number]["step"]>().toEqualTypeOf<FinishStepName>();
  });

  it("refuses what the contract refuses", () => {
    // @ts-expect-error type is immutable through the node PUT
    void puffle.updateSequenceNode(id, id, { type: "ai" });
    // @ts-expect-error generate_ai needs node_id
    void puffle.generateCampaignMessages(id, { action: "generate_ai" });
    // @ts-expect-error only the two documented actions
    void puffle.generateCampaignMessages(id, { action: "launch" });
    // @ts-expect-error the list filter has four values
    void puffle.listGeneratedMessages(id, { status: "open" });
    // @ts-expect-error message_id is required
    void puffle.updateGeneratedMessage(id, { subject: "s" });
    // @ts-expect-error via is one of two routes
    void puffle.finishSession(id, { via: "patch" });
    // @ts-expect-error a sequence node type the docs do not list
    void puffle.updateCampaign(id, { sequence_nodes: [{ type: "sms" }] });
  });
});
