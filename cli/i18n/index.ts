// The CLI's words go through the one catalogue of grader/messages/ (shared
// with the reports): each command declares its messages next to it with
// define_messages, in French and English; the language is decided once, by
// the entry (cli/cli.ts), before anything is printed. Lessons, hints and check
// messages are the course's, in its own language, whatever the setting.
export { define_messages, detect_lang, lang, set_lang, type Lang } from "../../grader/messages/index.js";
