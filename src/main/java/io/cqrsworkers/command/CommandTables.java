package io.cqrsworkers.command;

import io.cqrsworkers.resources.ResourceDescription;

import java.util.List;

/** Physical table names of the command pipeline's modules, and the module of a command table. */
public final class CommandTables {

    /** The registry name of the bean. */
    public static final String BEAN = "commandTables";

    public static final String COMMAND = "command";
    public static final String DATA = "data";
    public static final String HISTORY = "history";

    private final String prefix;
    private final List<String> modules;

    public CommandTables(String prefix, List<String> modules) {
        this.prefix = prefix;
        this.modules = List.copyOf(modules);
    }

    public List<String> modules() {
        return modules;
    }

    public String table(String module, String type) {
        return ResourceDescription.physical(prefix, ResourceDescription.moduleTable(module, type));
    }

    public String masterData() {
        return ResourceDescription.physical(prefix, "master-data");
    }

    /** The module whose command table this is, or an error naming the known modules. */
    public String moduleOfCommandTable(String tableName) {
        for (String module : modules) {
            if (table(module, COMMAND).equals(tableName)) {
                return module;
            }
        }
        throw new IllegalArgumentException("Table " + tableName + " is not the command table of a module " + modules);
    }

    public void requireModule(String module) {
        if (!modules.contains(module)) {
            throw new CommandException(404, "Unknown module '" + module + "'; modules are " + modules);
        }
    }
}
