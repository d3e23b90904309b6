// A small typedoc plugin (loaded by typedoc.config.mjs) that makes the reference readable:
// - modules are named by their import path (`puffle-chat`, `puffle-chat/realtime`, …), for
//   every entry point, present and future: src/index.ts → `puffle-chat`, src/<dir>/index.ts →
//   `puffle-chat/<dir>`;
// - each export goes into a sidebar group by where it is defined (Client, Sessions and runs,
//   Waiting, Errors, Drafts, Campaigns, Realtime, Testing, …), unless it has its own @group tag;
// - a {@link Name} to an export of another entry (`Session` in a `puffle-chat/template` comment)
//   links to that export, the root entry's first;
// - the index page shows the title once (the landing page's own `# puffle-chat` is dropped
//   there), and lists the guides where it says `<!-- guides … -->`;
// - PuffleClient's methods are grouped by task (CLIENT_TASKS, in that order on its page); a
//   public method missing from the table is a warning, so an error in npm test;
// - the raw OpenAPI types of generated/ (`components`, `paths`, `operations`) are the
//   `puffle-chat/openapi` module, in their own group.
import { Comment, CommentTag, Converter, ReflectionKind } from "typedoc";

/** Source path (relative to src/) → group. First match wins. */
const GROUPS = [
  [
    /^base\/puffle-error\.ts$|^core\/(campaign-)?errors\.ts$|^core\/api-errors\.ts$|^core\/errors\/|^realtime\/errors\.ts$/,
    "Errors",
  ],
  [
    /^core\/draft-|^lib\/(advance-session|draft-campaign|draft-plan|plan-next|memory-store|limiter)\.ts$|^campaign\//,
    "Campaign driver",
  ],
  [
    /^core\/campaign-|^lib\/(campaigns|finish-session)\.ts$|^resources\/(campaigns|messages)\.ts$/,
    "Campaigns",
  ],
  [/^client\.ts$|^core\/api-promise\.ts$|^core\/options\.ts$|^core\/schemas\.ts$/, "Client"],
  [/^internal\/|^version\.ts$/, "Client"],
  [/^core\/types\.ts$|^base\/run-handle\.ts$|^lib\/dispatch\.ts$/, "Sessions and runs"],
  [/^otel\/|^core\/trace-types\.ts$|^internal\/trace\.ts$/, "Tracing"],
  [/^pg-boss\/|^trigger\/|^engines\//, "Job engines"],
  [/^lib\//, "Waiting"],
  [/^template\//, "Drafts"],
  [/^realtime\//, "Realtime"],
  [/^testing\//, "Testing"],
  [/^server\//, "Server"],
  [/^mcp\//, "MCP"],
  [/^react\//, "React"],
];

/**
 * PuffleClient's public methods by task, each group in the order a reader needs them. Kept here
 * rather than as `@group` tags in src/client.ts, whose length is capped (450 lines).
 */
const CLIENT_TASKS = [
  [
    "Sessions and turns",
    ["getOrCreateSession", "chat", "runTurn", "waitForIdle", "waitForIdleDetailed"],
  ],
  ["Examples", ["generateExamplesAndWait", "generateExamples"]],
  ["Whole campaigns", ["draftCampaign", "advanceSession"]],
  [
    "Campaigns",
    [
      "getCampaign",
      "updateSequenceNode",
      "updateCampaign",
      "generateCampaignMessages",
      "listGeneratedMessages",
      "updateGeneratedMessage",
    ],
  ],
  ["Finishing", ["finishSession"]],
  [
    "Low level",
    [
      "createSession",
      "getSession",
      "listSessions",
      "updateSession",
      "deleteSession",
      "generateContent",
    ],
  ],
];

/** @param {import("typedoc").Application} app */
export function load(app) {
  /** @type {Map<import("typedoc").Reflection, string>} */
  const files = new Map();

  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    const symbol = context.getSymbolFromReflection(reflection);
    const file = symbol?.declarations?.[0]?.getSourceFile().fileName;
    if (file) files.set(reflection, file.replaceAll("\\", "/"));
  });

  // Links across entries: typedoc looks a name up in the comment's own module only.
  app.converter.addUnknownSymbolResolver((ref, reflection) => {
    const path = ref.symbolReference?.path?.map((part) => part.path);
    if (ref.moduleSource || !path) return undefined;
    const modules = (reflection.project.children ?? []).filter((m) =>
      m.kindOf(ReflectionKind.Module),
    );
    modules.sort((a, b) => Number(b.name === "puffle-chat") - Number(a.name === "puffle-chat"));
    for (const mod of modules) {
      const found = mod.getChildByName(path);
      const target = found?.isReference() ? found.getTargetReflectionDeep() : found;
      if (target) return { target, caption: path.join(".") };
    }
    return undefined;
  });

  // The index page already has the project name as its title: drop the landing page's own
  // "# name"; then list the guides (the project documents) where it asks for them.
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const readme = context.project.readme ?? [];
    const first = readme[0];
    const heading = `# ${context.project.name}`;
    if (first?.kind === "text" && first.text.startsWith(heading)) {
      first.text = first.text.slice(heading.length).replace(/^\s*\n/, "");
    }
    context.project.readme = withGuideList(readme, context.project.documents ?? []);
  });

  // After typedoc's GroupPlugin (priority -100) has built the groups: the client's task groups
  // hold their methods in CLIENT_TASKS order, not alphabetically.
  app.converter.on(
    Converter.EVENT_RESOLVE_END,
    (context) => {
      const client = context.project.getChildByName(["puffle-chat", "PuffleClient"]);
      for (const group of client?.groups ?? []) {
        const order = CLIENT_TASKS.find(([name]) => name === group.title)?.[1];
        if (order) group.children.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
      }
    },
    -200,
  );

  app.converter.on(
    Converter.EVENT_RESOLVE_BEGIN,
    (context) => {
      const project = context.project;
      const modules = project.children ?? [];
      for (const mod of modules) {
        if (!mod.kindOf(ReflectionKind.Module)) continue;
        mod.name = mod.name === "index" ? "puffle-chat" : `puffle-chat/${mod.name}`;
        if (mod.name === "puffle-chat") groupClientMethods(app, mod.getChildByName("PuffleClient"));
        for (const child of [...(mod.children ?? [])]) {
          const file = files.get(child);
          if (!file || child.comment?.blockTags.some((t) => t.tag === "@group")) continue;
          const group = file.includes("/generated/")
            ? "OpenAPI"
            : GROUPS.find(([pattern]) =>
                pattern.test(file.slice(file.lastIndexOf("/src/") + 5)),
              )?.[1];
          if (!group) continue;
          child.comment ??= new Comment();
          child.comment.blockTags.push(new CommentTag("@group", [{ kind: "text", text: group }]));
        }
      }
    },
    // Before typedoc's GroupPlugin reads the @group tags.
    1000,
  );
}

/**
 * Tag each public method of PuffleClient with its task group (CLIENT_TASKS); warn about one the
 * table misses (a new method: add it there).
 * @param {import("typedoc").Application} app
 * @param {import("typedoc").Reflection | undefined} client
 */
function groupClientMethods(app, client) {
  if (!client || !("children" in client)) return;
  for (const member of client.children ?? []) {
    if (!member.kindOf(ReflectionKind.Method) || member.name.startsWith("#")) continue;
    const group = CLIENT_TASKS.find(([, names]) => names.includes(member.name))?.[0];
    if (!group) {
      app.logger.warn(
        `PuffleClient.${member.name} has no task group: add it to CLIENT_TASKS in scripts/typedoc-plugin.mjs`,
      );
      continue;
    }
    member.comment ??= new Comment();
    member.comment.blockTags.push(new CommentTag("@group", [{ kind: "text", text: group }]));
  }
}

const GUIDES_MARK = /<!--\s*guides\b[\s\S]*?-->/;

/**
 * The landing page's parts with its `<!-- guides … -->` mark replaced by a list of links to the
 * guides (one per project document, in the configured order).
 * @param {import("typedoc").CommentDisplayPart[]} parts
 * @param {import("typedoc").DocumentReflection[]} documents
 * @returns {import("typedoc").CommentDisplayPart[]}
 */
function withGuideList(parts, documents) {
  const at = parts.findIndex((p) => p.kind === "text" && GUIDES_MARK.test(p.text));
  const part = parts[at];
  if (!part) return parts;
  const [before, after] = part.text.split(GUIDES_MARK);
  /** @type {import("typedoc").CommentDisplayPart[]} */
  const list = documents.flatMap((doc) => [
    { kind: "text", text: "- " },
    { kind: "inline-tag", tag: "@link", text: doc.name, target: doc },
    { kind: "text", text: "\n" },
  ]);
  return [
    ...parts.slice(0, at),
    { kind: "text", text: before ?? "" },
    ...list,
    { kind: "text", text: after ?? "" },
    ...parts.slice(at + 1),
  ];
}
