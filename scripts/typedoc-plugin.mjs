// A small typedoc plugin (loaded by typedoc.config.mjs) that makes the reference readable:
// - modules are named by their import path (`puffle-chat`, `puffle-chat/realtime`, …), for
//   every entry point, present and future: src/index.ts → `puffle-chat`, src/<dir>/index.ts →
//   `puffle-chat/<dir>`;
// - each export goes into a sidebar group by where it is defined (Client, Sessions and runs,
//   Waiting, Errors, Drafts, Campaigns, Realtime, Testing, …), unless it has its own @group tag;
// - a {@link Name} to an export of another entry (`Session` in a `puffle-chat/template` comment)
//   links to that export, the root entry's first;
// - the index page shows the title once (the README's own `# puffle-chat` is dropped there);
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
    /^core\/campaign-|^lib\/(campaigns|finish-session)\.ts$|^resources\/(campaigns|messages)\.ts$/,
    "Campaigns",
  ],
  [/^client\.ts$|^core\/api-promise\.ts$|^core\/options\.ts$|^core\/schemas\.ts$/, "Client"],
  [/^internal\/|^version\.ts$/, "Client"],
  [/^core\/types\.ts$|^lib\/dispatch\.ts$/, "Sessions and runs"],
  [/^pg-boss\/|^trigger\/|^engines\//, "Job engines"],
  [/^lib\//, "Waiting"],
  [/^template\//, "Drafts"],
  [/^realtime\//, "Realtime"],
  [/^testing\//, "Testing"],
  [/^server\//, "Server"],
  [/^react\//, "React"],
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

  // The index page already has the project name as its title: drop the README's own "# name".
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const first = context.project.readme?.[0];
    const heading = `# ${context.project.name}`;
    if (first?.kind === "text" && first.text.startsWith(heading)) {
      first.text = first.text.slice(heading.length).replace(/^\s*\n/, "");
    }
  });

  app.converter.on(
    Converter.EVENT_RESOLVE_BEGIN,
    (context) => {
      const project = context.project;
      const modules = project.children ?? [];
      for (const mod of modules) {
        if (!mod.kindOf(ReflectionKind.Module)) continue;
        mod.name = mod.name === "index" ? "puffle-chat" : `puffle-chat/${mod.name}`;
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
