// Imported before testcontainers: the grader never uses Ryuk (its image cannot
// be pulled offline); it labels and removes what it creates itself.
process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
export {};
