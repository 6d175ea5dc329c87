package io.cqrsworkers.localaws.stepfunctions.runtime;

import io.cqrsworkers.localaws.stepfunctions.core.SfnException;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Task tokens: opaque strings that lead SendTask* calls back to a parked task attempt. */
public final class TaskTokens {
    private static final String PREFIX = "AQB";
    private static final int TOKEN_LENGTH = PREFIX.length() + 64;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, TaskAttempt> open = new ConcurrentHashMap<>();
    /** Recently settled tokens, so a late callback gets TaskTimedOut rather than TaskDoesNotExist, as on AWS. */
    private final Set<String> settled = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 100_000;
        }
    }));

    String newToken() {
        byte[] b = new byte[48];
        random.nextBytes(b);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    void register(String token, TaskAttempt attempt) {
        open.put(token, attempt);
    }

    void release(String token) {
        if (token != null && open.remove(token) != null) {
            settled.add(token);
        }
    }

    /** The open attempt for {@code token}, or AWS's error for a malformed, unknown or finished token. */
    public TaskAttempt attempt(String token) {
        if (token == null || token.length() != TOKEN_LENGTH || !token.startsWith(PREFIX)) {
            throw new SfnException("InvalidToken", "Invalid Token: 'Invalid token'");
        }
        TaskAttempt a = open.get(token);
        if (a != null) {
            return a;
        }
        if (settled.contains(token)) {
            throw new SfnException("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
        }
        throw new SfnException("TaskDoesNotExist", "Task Does Not Exist: 'Provided task does not exist'");
    }
}
