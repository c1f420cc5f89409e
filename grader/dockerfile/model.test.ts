import { describe, expect, test } from "vitest";
import { read_dockerfile } from "./index.js";
import { split_words, expand_variables } from "./words.js";

const text = (...lines: string[]) => lines.join("\n") + "\n";

describe("read_dockerfile: instructions", () => {
  test("lines, stages, continuations and comment lines inside them", () => {
    const model = read_dockerfile(text(
      "ARG V=1",
      "FROM golang:1.19 AS build",
      "RUN go build \\",
      "  # a comment Docker drops",
      "  -o /app .",
      "",
      "FROM scratch",
      "COPY --from=build /app /app",
    ));
    expect(model.instructions.map((i) => [i.keyword, i.line, i.end_line, i.stage])).toEqual([
      ["ARG", 1, 1, -1],
      ["FROM", 2, 2, 0],
      ["RUN", 3, 5, 0],
      ["FROM", 7, 7, 1],
      ["COPY", 8, 8, 1],
    ]);
    expect(model.instructions[2]!.shell_form).toBe("go build   -o /app .");
    expect(model.instructions[4]!.flags).toEqual([{ name: "from", value: "build" }]);
    expect(model.instructions[4]!.args).toEqual(["/app", "/app"]);
  });

  test("quoted arguments keep their backslashes, as Docker reads them", () => {
    const model = read_dockerfile(text("FROM mcr.microsoft.com/windows/servercore:ltsc2022", 'COPY bla.sh "c:\\system32\\blubb.sh"', "WORKDIR 'C:\\'", 'ENV MSG="say \\"hi\\"" P=a\\ b'));
    expect(model.instructions[1]!.args).toEqual(["bla.sh", "c:\\system32\\blubb.sh"]);
    expect(model.instructions[2]!.args).toEqual(["C:\\"]);
    expect(model.instructions[3]!.properties).toEqual([{ name: "MSG", value: 'say "hi"' }, { name: "P", value: "a b" }]);
  });

  test("the escape directive changes the escape and continuation character", () => {
    const model = read_dockerfile(text("# escape=`", "FROM mcr.microsoft.com/windows/servercore:ltsc2022", "COPY app.ps1 C:\\app\\", "RUN powershell -Command `", "    Write-Host hi"));
    expect(model.directives.escape).toBe("`");
    expect(model.instructions[1]!.args).toEqual(["app.ps1", "C:\\app\\"]);
    expect(model.instructions[2]!).toMatchObject({ line: 4, end_line: 5, shell_form: "powershell -Command     Write-Host hi" });
  });

  test("directives: syntax and escape", () => {
    const model = read_dockerfile(text("# syntax=docker/dockerfile:1", "FROM alpine:3.20"));
    expect(model.directives).toEqual({ escape: "\\", syntax: "docker/dockerfile:1" });
  });

  test("exec and shell forms for RUN, CMD, ENTRYPOINT, SHELL and HEALTHCHECK CMD", () => {
    const model = read_dockerfile(text(
      "FROM alpine:3.20",
      'RUN ["apk", "add", "curl"]',
      "RUN --network=none echo hi && echo there",
      'CMD ["node", "server.js"]',
      "ENTRYPOINT exec node server.js",
      'SHELL ["/bin/ash", "-eo", "pipefail", "-c"]',
      "HEALTHCHECK --interval=5s CMD wget -q -O- http://localhost/ || exit 1",
      'HEALTHCHECK CMD ["wget", "-q", "http://localhost/"]',
      "CMD ['node', 'x.js']",
    ));
    const [, run_exec, run_shell, cmd, entrypoint, shell, hc_shell, hc_exec, bad_json] = model.instructions;
    expect(run_exec!.exec_form).toEqual(["apk", "add", "curl"]);
    expect(run_exec!.args).toEqual(["apk", "add", "curl"]);
    expect(run_shell).toMatchObject({ shell_form: "echo hi && echo there", flags: [{ name: "network", value: "none" }] });
    expect(cmd!.exec_form).toEqual(["node", "server.js"]);
    expect(entrypoint!.shell_form).toBe("exec node server.js");
    expect(shell!.exec_form).toEqual(["/bin/ash", "-eo", "pipefail", "-c"]);
    expect(hc_shell).toMatchObject({ shell_form: "wget -q -O- http://localhost/ || exit 1", flags: [{ name: "interval", value: "5s" }] });
    expect(hc_exec!.exec_form).toEqual(["wget", "-q", "http://localhost/"]);
    expect(bad_json!.exec_form).toBeUndefined();
    expect(bad_json!.shell_form).toBe("['node', 'x.js']");
  });

  test("heredocs: bodies apart from the header, end line after the body", () => {
    const model = read_dockerfile(text("FROM debian:bookworm", "RUN <<EOF bash", "set -e", "apt-get update", "EOF", "COPY <<CONF /etc/app.conf", "key=value", "CONF"));
    expect(model.instructions[1]).toMatchObject({ line: 2, end_line: 5, shell_form: "<<EOF bash", heredocs: [{ name: "EOF", body: "set -e\napt-get update" }] });
    expect(model.instructions[2]).toMatchObject({ line: 6, end_line: 8, heredocs: [{ name: "CONF", body: "key=value" }] });
  });

  test("ENV, ARG and LABEL properties, old ENV form included", () => {
    const model = read_dockerfile(text("ARG VERSION", "ARG A=1 B=2", "FROM alpine:3.20", "ENV PATH=/app/bin:$PATH LANG=C.UTF-8", "ENV GREETING hello big world", 'LABEL org.opencontainers.image.title="My app"'));
    expect(model.instructions[0]!.properties).toEqual([{ name: "VERSION", value: undefined }]);
    expect(model.instructions[1]!.properties).toEqual([{ name: "A", value: "1" }, { name: "B", value: "2" }]);
    expect(model.instructions[3]!.properties).toEqual([{ name: "PATH", value: "/app/bin:$PATH" }, { name: "LANG", value: "C.UTF-8" }]);
    expect(model.instructions[4]!.properties).toEqual([{ name: "GREETING", value: "hello big world" }]);
    expect(model.instructions[5]!.properties).toEqual([{ name: "org.opencontainers.image.title", value: "My app" }]);
  });

  test("an ONBUILD trigger is read as the instruction it will become, on the ONBUILD line", () => {
    const model = read_dockerfile(text("FROM node:22-slim", "ONBUILD COPY --chown=node . /app", "ONBUILD RUN sudo apt-get update \\", "  && echo ok"));
    expect(model.instructions[1]!.trigger).toMatchObject({ keyword: "COPY", line: 2, stage: 0, flags: [{ name: "chown", value: "node" }], args: [".", "/app"] });
    expect(model.instructions[2]!.trigger).toMatchObject({ keyword: "RUN", line: 3, end_line: 4, shell_form: "sudo apt-get update   && echo ok" });
    expect(model.instructions).toHaveLength(3);
  });
});

describe("read_dockerfile: stages", () => {
  test("names, index, FROM <earlier stage> and COPY --from references", () => {
    const model = read_dockerfile(text(
      "FROM golang:1.19 AS Build",
      "RUN go build -o /out/app .",
      "FROM build AS test",
      "FROM gcr.io/distroless/static-debian12",
      "COPY --from=build /out/app /app",
      "COPY --from=0 /etc/passwd /etc/passwd",
      "COPY --from=nginx:1.22 /etc/nginx/nginx.conf /nginx.conf",
    ));
    expect(model.stages.map((s) => [s.index, s.name, s.line, s.from_stage])).toEqual([[0, "build", 1, undefined], [1, "test", 3, 0], [2, undefined, 4, undefined]]);
    expect(model.stages[1]!.base?.familiar).toBe("golang:1.19");
    expect(model.stages[2]!.copies_from).toEqual(["build", 0, "nginx:1.22"]);
    expect(model.stage("BUILD")?.index).toBe(0);
    expect(model.stage(2)?.base?.registry).toBe("gcr.io");
    expect(model.final_stage()?.index).toBe(2);
    expect(model.stages[0]!.instructions.map((i) => i.keyword)).toEqual(["FROM", "RUN"]);
  });

  test("the base image through ARG defaults before the first FROM", () => {
    const model = read_dockerfile(text("ARG BASE=python:3.11-slim", "ARG TAG", "FROM ${BASE} AS app", "FROM python:${TAG:-3.12}-slim", "FROM debian:${TAG}", "FROM $UNDECLARED"));
    const [first, second, third, fourth] = model.stages;
    expect(first).toMatchObject({ written: "${BASE}", image: "python:3.11-slim", unresolved: [] });
    expect(first!.base?.canonical).toBe("docker.io/library/python:3.11-slim");
    expect(second!.image).toBe("python:3.12-slim");
    expect([third!.image, third!.base, third!.unresolved]).toEqual([undefined, undefined, ["TAG"]]);
    expect([fourth!.image, fourth!.unresolved]).toEqual([undefined, ["UNDECLARED"]]);
    expect(model.global_args).toEqual(new Map([["BASE", "python:3.11-slim"], ["TAG", undefined]]));
  });

  test("the build's --build-arg values override the defaults of declared ARGs only", () => {
    const source = text("ARG BASE=python:3.11-slim", "ARG TAG", "FROM ${BASE}", "FROM debian:${TAG}", "FROM $OTHER");
    const model = read_dockerfile(source, { build_args: { BASE: "python:3.12-slim", TAG: "bookworm", OTHER: "x" } });
    expect(model.stages.map((s) => s.image)).toEqual(["python:3.12-slim", "debian:bookworm", undefined]);
    expect(model.global_args.get("BASE")).toBe("python:3.12-slim");
  });

  test("scratch, directly or through a stage", () => {
    const model = read_dockerfile(text("FROM scratch AS base", "FROM base", "FROM SCRATCH"));
    expect(model.stages.map((s) => [s.is_scratch, s.base])).toEqual([[true, undefined], [true, undefined], [true, undefined]]);
  });

  test("a FROM that names a later stage is an image, not that stage", () => {
    const model = read_dockerfile(text("FROM app AS first", "FROM alpine:3.20 AS app"));
    expect(model.stages[0]!.from_stage).toBeUndefined();
    expect(model.stages[0]!.base?.canonical).toBe("docker.io/library/app:latest");
  });

  test("CRLF line ends read like LF", () => {
    const model = read_dockerfile("FROM alpine:3.20\r\nRUN echo a \\\r\n  b\r\n");
    expect(model.instructions[1]).toMatchObject({ line: 2, end_line: 3, shell_form: "echo a   b" });
  });
});

describe("words", () => {
  test("split on blanks outside quotes; single quotes keep everything", () => {
    expect(split_words(`a "b c" 'd\\e' f\\ g`).map((w) => w.value)).toEqual(["a", "b c", "d\\e", "f g"]);
  });

  test("variable expansion with defaults and alternatives", () => {
    const vars = new Map<string, string | undefined>([["SET", "x"], ["EMPTY", ""], ["NOVALUE", undefined]]);
    expect(expand_variables("${SET}-$SET-${EMPTY:-d}-${EMPTY-d}-${SET:+alt}-${NOVALUE:-n}", vars)).toEqual({ value: "x-x-d--alt-n", unresolved: [] });
    expect(expand_variables("${NOVALUE}/$MISSING", vars)).toEqual({ value: "/", unresolved: ["NOVALUE", "MISSING"] });
  });
});

describe("read_dockerfile: BuildKit's line rules", () => {
  test("directives stop at the first line that is not one", () => {
    expect(read_dockerfile(text("# syntax=docker/dockerfile:1", "", "# escape=`", "FROM alpine:3.20")).directives).toEqual({ escape: "\\", syntax: "docker/dockerfile:1" });
    expect(read_dockerfile(text("# a comment", "# escape=`", "FROM alpine:3.20")).directives.escape).toBe("\\");
  });

  test("several heredocs on one RUN, <<- and quoted names, a header continued before them", () => {
    const model = read_dockerfile(text(
      "FROM debian:bookworm",
      "RUN --mount=type=cache,target=/root \\",
      "    cat <<'ONE' > /a && cat <<-\"TWO\" > /b",
      "first",
      "ONE",
      "\tsecond",
      "\tTWO",
      "RUN echo after",
    ));
    expect(model.instructions[1]).toMatchObject({
      line: 2,
      end_line: 7,
      heredocs: [{ name: "ONE", body: "first" }, { name: "TWO", body: "\tsecond" }],
      flags: [{ name: "mount", value: "type=cache,target=/root" }],
    });
    expect(model.instructions[2]).toMatchObject({ keyword: "RUN", line: 8 });
  });

  test("<<< is a here-string and << inside quotes is text: no heredoc", () => {
    const model = read_dockerfile(text("FROM debian:bookworm", "RUN grep x <<< \"$V\" && echo '<<EOF'", "RUN echo next"));
    expect(model.instructions[1]!.heredocs).toEqual([]);
    expect(model.instructions[2]!.line).toBe(3);
  });

  test("blank lines inside a continued instruction are skipped, and a continuation at the end of the file ends it", () => {
    const model = read_dockerfile("FROM alpine:3.20\nRUN echo a \\\n\n  b \\\n");
    expect(model.instructions[1]).toMatchObject({ line: 2, end_line: 4, shell_form: "echo a   b" });
  });
});

describe("read_dockerfile: FROM details", () => {
  test("--platform is a flag, not the image; an ARG after FROM is not global", () => {
    const model = read_dockerfile(text("ARG GO=1.22", "FROM --platform=$BUILDPLATFORM golang:${GO} AS build", "ARG LOCAL=x", "FROM scratch"));
    expect(model.stages[0]).toMatchObject({ written: "golang:${GO}", image: "golang:1.22", name: "build" });
    expect(model.instructions[1]!.flags).toEqual([{ name: "platform", value: "$BUILDPLATFORM" }]);
    expect([...model.global_args.keys()]).toEqual(["GO"]);
  });

  test("a registry that only looks like Docker Hub is another registry", () => {
    const model = read_dockerfile(text("FROM hub.docker.io/debian:12"));
    expect(model.stages[0]!.base).toMatchObject({ registry: "hub.docker.io", repository: "debian" });
  });
});
