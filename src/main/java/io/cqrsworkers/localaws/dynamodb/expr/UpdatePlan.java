package io.cqrsworkers.localaws.dynamodb.expr;

import io.cqrsworkers.localaws.dynamodb.model.DynamoDbException;
import io.cqrsworkers.localaws.dynamodb.model.Av;
import io.cqrsworkers.localaws.dynamodb.model.Numbers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The actions of an UpdateExpression (or legacy AttributeUpdates), applied to a copy of an item. */
public final class UpdatePlan {

    private record Action(char kind, Path path, Operand value) {
    }

    private final List<Action> actions = new ArrayList<>();

    void set(Path path, Operand value) {
        actions.add(new Action('S', path, value));
    }

    void remove(Path path) {
        actions.add(new Action('R', path, null));
    }

    void add(Path path, Operand.Value value) {
        checkOperandType("ADD", value.value(), true);
        actions.add(new Action('A', path, value));
    }

    void delete(Path path, Operand.Value value) {
        checkOperandType("DELETE", value.value(), false);
        actions.add(new Action('D', path, value));
    }

    /** An empty plan, filled by the legacy AttributeUpdates actions below (top-level attributes only). */
    public static UpdatePlan of() {
        return new UpdatePlan();
    }

    public UpdatePlan put(String attribute, Av value) {
        set(Path.of(attribute), new Operand.Value(null, value));
        return this;
    }

    public UpdatePlan remove(String attribute) {
        remove(Path.of(attribute));
        return this;
    }

    public UpdatePlan add(String attribute, Av value) {
        add(Path.of(attribute), new Operand.Value(null, value));
        return this;
    }

    public UpdatePlan delete(String attribute, Av value) {
        delete(Path.of(attribute), new Operand.Value(null, value));
        return this;
    }

    private static void checkOperandType(String op, Av v, boolean numbersAllowed) {
        if (!(v.isSet() || numbersAllowed && v.type() == Av.Type.N)) {
            throw DynamoDbException.validation("Invalid UpdateExpression: Incorrect operand type for operator or "
                    + "function; operator: " + op + ", operand type: " + typeName(v.type()));
        }
    }

    private static String typeName(Av.Type t) {
        return switch (t) {
            case S -> "STRING";
            case N -> "NUMBER";
            case B -> "BINARY";
            case BOOL -> "BOOLEAN";
            case NULL -> "NULL";
            case L -> "LIST";
            case M -> "MAP";
            default -> t.name();
        };
    }

    /** The document paths the plan writes, for ReturnValues UPDATED_OLD / UPDATED_NEW. */
    public List<Path> paths() {
        return actions.stream().map(Action::path).toList();
    }

    /** Top-level attribute names this plan writes. */
    public Set<String> topLevelNames() {
        Set<String> names = new LinkedHashSet<>();
        actions.forEach(a -> names.add(a.path.top()));
        return names;
    }

    /**
     * What standalone UpdateItem measures against the 400 KB limit besides the item it stores: the top-level
     * attributes the update writes, name and value as they end up in {@code finished}, plus 3 bytes for the update,
     * 19 per SET or ADD action (20 when its path goes through a list index) and 2 per REMOVE or DELETE. So the key
     * and the attributes the update leaves alone are out of this figure. Captured against DynamoDB by
     * nubo-db/dynamodb-conformance (tests/tier3/limits/itemSizeBySurface.test.ts, 2026-08-18/19); a transacted
     * Update measures the stored item only. A DELETE's remaining set counts as written (not captured).
     */
    public int writeCost(Function<String, Av> finished) {
        int cost = 3;
        Set<String> written = new LinkedHashSet<>();
        for (Action a : actions) {
            if (a.kind == 'S' || a.kind == 'A') {
                cost += 19 + (a.path.elements().stream().anyMatch(e -> e instanceof Integer) ? 1 : 0);
                written.add(a.path.top());
            } else {
                cost += 2;
                if (a.kind == 'D') {
                    written.add(a.path.top());
                }
            }
        }
        for (String name : written) {
            Av v = finished.apply(name);
            if (v != null) {
                cost += Av.utf8Length(name) + v.size();
            }
        }
        return cost;
    }

    /**
     * Applies every action to {@code item} in place; right-hand sides read {@code old}, the item as it was before.
     */
    public void apply(Map<String, Av> item, Function<String, Av> old) {
        List<Av> setValues = new ArrayList<>();
        for (Action a : actions) {
            if (a.kind == 'S') {
                Av v = a.value.eval(old);
                if (v == null) {
                    throw DynamoDbException.validation(
                            "The provided expression refers to an attribute that does not exist in the item");
                }
                setValues.add(v);
            }
        }
        int next = 0;
        for (Action a : actions) {
            if (a.kind == 'S') {
                write(item, a.path, setValues.get(next++));
            }
        }
        actions.stream().filter(a -> a.kind == 'R')
                .sorted(Comparator.comparingInt((Action a) -> lastIndex(a.path)).reversed())
                .forEach(a -> write(item, a.path, null));
        for (Action a : actions) {
            if (a.kind == 'A' || a.kind == 'D') {
                Av current = a.path.resolve(item::get);
                Av operand = a.value.eval(old);
                Av result = a.kind == 'A' ? add(current, operand) : delete(current, operand);
                if (result != current) {
                    write(item, a.path, result);
                }
            }
        }
    }

    private static int lastIndex(Path p) {
        Object last = p.elements().get(p.elements().size() - 1);
        return last instanceof Integer i ? i : -1;
    }

    private static Av add(Av current, Av operand) {
        if (current == null) {
            return operand;
        }
        if (current.type() != operand.type()) {
            throw Operand.wrongType();
        }
        if (current.type() == Av.Type.N) {
            return Av.n(Numbers.add(current.n(), operand.n()));
        }
        Set<Object> union = new LinkedHashSet<>(current.set());
        union.addAll(operand.set());
        return Av.set(current.type(), new ArrayList<>(union));
    }

    /** Returns the remaining set, null to remove the attribute, or {@code current} when nothing changes. */
    private static Av delete(Av current, Av operand) {
        if (current == null) {
            return null;
        }
        if (current.type() != operand.type()) {
            throw Operand.wrongType();
        }
        List<Object> rest = new ArrayList<>(current.set());
        rest.removeAll(operand.set());
        if (rest.size() == current.set().size()) {
            return current;
        }
        return rest.isEmpty() ? null : Av.set(current.type(), rest);
    }

    /** Sets (value != null) or removes (value == null) the value at a path. */
    private static void write(Map<String, Av> item, Path path, Av value) {
        List<Object> el = path.elements();
        if (el.size() == 1) {
            if (value == null) {
                item.remove(path.top());
            } else {
                item.put(path.top(), value);
            }
            return;
        }
        Av top = item.get(path.top());
        Av updated = writeIn(top, el, 1, value);
        if (updated != null) {
            item.put(path.top(), updated);
        }
    }

    /** Returns the container with the change applied, or null if a remove found nothing to remove. */
    private static Av writeIn(Av container, List<Object> el, int i, Av value) {
        Object step = el.get(i);
        boolean last = i == el.size() - 1;
        if (step instanceof Integer idx) {
            if (container == null || container.type() != Av.Type.L) {
                return invalidPath(value);
            }
            List<Av> list = new ArrayList<>(container.l());
            if (last) {
                if (value == null) {
                    if (idx >= list.size()) {
                        return null;
                    }
                    list.remove((int) idx);
                } else if (idx >= list.size()) {
                    list.add(value);
                } else {
                    list.set(idx, value);
                }
            } else {
                if (idx >= list.size()) {
                    return invalidPath(value);
                }
                Av child = writeIn(list.get(idx), el, i + 1, value);
                if (child == null) {
                    return null;
                }
                list.set(idx, child);
            }
            return Av.l(list);
        }
        if (container == null || container.type() != Av.Type.M) {
            return invalidPath(value);
        }
        Map<String, Av> map = new LinkedHashMap<>(container.m());
        String name = (String) step;
        if (last) {
            if (value == null) {
                if (map.remove(name) == null) {
                    return null;
                }
            } else {
                map.put(name, value);
            }
        } else {
            Av child = writeIn(map.get(name), el, i + 1, value);
            if (child == null) {
                return null;
            }
            map.put(name, child);
        }
        return Av.m(map);
    }

    private static Av invalidPath(Av value) {
        if (value == null) {
            return null;
        }
        throw DynamoDbException.validation("The document path provided in the update expression is invalid for update");
    }

}
