import { describe, expect, test } from "vitest";
import { read_argv, read_shell, script_after_c, simple_command_words } from "./shell.js";

const names = (script: string) => read_shell(script).commands.map((command) => command.name);

describe("read_shell: the commands a script runs", () => {
  test("&&, ||, ; and & lists, line continuations", () => {
    expect(names("a && b || c; d & e")).toEqual(["a", "b", "c", "d", "e"]);
    expect(read_shell("apt-get update \\\n  && apt-get install -y curl").commands.map((c) => [c.name, c.args])).toEqual([
      ["apt-get", ["update"]],
      ["apt-get", ["install", "-y", "curl"]],
    ]);
  });

  test("a | in a case pattern is not a pipe; the commands of the branches are read", () => {
    const script = read_shell('case "$(uname -m)" in x86_64|amd64) arch=x64 ;; aarch64) arch=arm64 ;; *) echo no; exit 1 ;; esac');
    expect(script.pipes).toBe(0);
    expect(script.commands.map((c) => c.name)).toEqual(["uname", "echo", "exit"]);
  });

  test("pipes, in the script and inside $(...) and backquotes", () => {
    expect(read_shell("curl -fsSL x | tar -xz").pipes).toBe(1);
    const inside = read_shell('sum="$(sha256sum f | cut -d" " -f1)"; v=`uname -r | tr . _`');
    expect(inside.pipes).toBe(2);
    expect(inside.commands.filter((c) => c.in_pipeline).map((c) => c.name)).toEqual(["sha256sum", "cut", "uname", "tr"]);
  });

  test("subshells and command substitutions are marked; a { } block is not a subshell", () => {
    const script = read_shell("( cd /src && make ) && dir=$(cd /x && pwd) && { cd /y; }");
    expect(script.commands.map((c) => [c.name, c.in_subshell])).toEqual([
      ["cd", true], ["make", true], ["cd", true], ["pwd", true], ["cd", false],
    ]);
  });

  test("a heredoc inside the script is data, not commands", () => {
    const script = read_shell("cat > /etc/app.conf <<'EOF'\nrm -rf / | tee x\nEOF\necho done");
    expect(script.commands.map((c) => c.name)).toEqual(["cat", "echo"]);
    expect(script.pipes).toBe(0);
  });

  test("quotes removed, backslashes as the shell reads them, expansions kept as written", () => {
    const [command] = read_shell(`pip install "a b" 'c\\d' e\\ f "g\\h" "$HOME/x" \${V:-1}`).commands;
    expect(command!.args).toEqual(["install", "a b", "c\\d", "e f", "g\\h", "$HOME/x", "${V:-1}"]);
  });

  test("variables set before a command: written in front, exported, or assigned earlier; a subshell's stay in it", () => {
    const script = read_shell("export PIP_NO_CACHE_DIR=1 && A=2; (B=3); PIP_X=y pip install x");
    const pip = script.commands.find((c) => c.name === "pip")!;
    expect(pip.assignments).toEqual({ PIP_X: "y" });
    expect(pip.variables).toEqual({ PIP_NO_CACHE_DIR: "1", A: "2" });
  });

  test("if, while, for and functions are read", () => {
    expect(names("if [ -f x ]; then rm -f x; elif true; then a; else b; fi")).toEqual(["rm", "true", "a", "b"]);
    expect(names("for f in $(ls); do echo $f; done; while read l; do c; done; f() { g; }")).toEqual(["ls", "echo", "read", "c", "g"]);
  });

  test("the command behind sudo, env, gosu, nohup and sh -c is read too, marked nested", () => {
    const script = read_shell('sudo -u app env A=1 pip install x; gosu nobody id; sh -c "cd /x && make"; command -v sudo');
    expect(script.commands.map((c) => [c.name, c.nested])).toEqual([
      ["sudo", false], ["env", true], ["pip", true], ["gosu", false], ["id", true], ["sh", false], ["cd", true], ["make", true], ["command", false],
    ]);
    expect(script.commands.find((c) => c.name === "pip")!.assignments).toEqual({ A: "1" });
  });

  test("a script that does not parse says so", () => {
    expect(read_shell("if then fi (").parsed).toBe(false);
    expect(read_shell("echo ok").parsed).toBe(true);
  });
});

describe("exec form and helpers", () => {
  test("an exec form runs one program, or the script given to sh -c", () => {
    expect(read_argv(["apt-get", "install", "-y", "x"]).commands.map((c) => c.name)).toEqual(["apt-get"]);
    const shell = read_argv(["/bin/sh", "-c", "a | b"]);
    expect([shell.pipes, shell.commands.map((c) => c.name)]).toEqual([1, ["sh", "a", "b"]]);
  });

  test("script_after_c skips the value of -o", () => {
    expect(script_after_c(["-o", "pipefail", "-c", "x"])).toBe("x");
    expect(script_after_c(["-ec", "y"])).toBe("y");
    expect(script_after_c(["script.sh"])).toBeUndefined();
  });

  test("simple_command_words: a command that needs no shell, else undefined", () => {
    expect(simple_command_words("node server.js --port 80")).toEqual(["node", "server.js", "--port", "80"]);
    expect(simple_command_words("node server.js && x")).toBeUndefined();
    expect(simple_command_words("echo $HOME")).toBeUndefined();
  });
});
