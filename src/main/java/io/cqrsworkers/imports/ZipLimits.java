package io.cqrsworkers.imports;

/**
 * What one archive may hold (zip bombs): entries, and bytes once unpacked (all entries together). Checked while
 * unpacking, on the bytes actually inflated, not on the sizes the archive claims.
 */
public record ZipLimits(int maxEntries, long maxUnpackedBytes) {
}
