package dev.ringback.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/** Bearer tokens, kept only as SHA-256 hashes. */
public final class TokenStore {
  static final String FIND_HASH = "SELECT token_sha256 FROM api_tokens WHERE business_id = $1 AND name = $2";
  static final String INSERT_HASH = """
      INSERT INTO api_tokens (business_id, name, token_sha256) VALUES ($1, $2, $3)
      ON CONFLICT (business_id, name) DO NOTHING""";
  static final String DELETE_HASH = "DELETE FROM api_tokens WHERE business_id = $1 AND name = $2 AND token_sha256 = $3";

  private final Pool pool;

  public TokenStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<byte[]>> findHash(long businessId, String name) {
    return pool.preparedQuery(FIND_HASH).execute(Tuple.of(businessId, name))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getBuffer("token_sha256").getBytes()));
  }

  /** True when this call stored the hash, false when another instance got there first. */
  public Future<Boolean> insertHash(long businessId, String name, byte[] hash) {
    return pool.preparedQuery(INSERT_HASH).execute(Tuple.of(businessId, name, Buffer.buffer(hash)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Removes the token only while it is still this hash. */
  public Future<Void> deleteHash(long businessId, String name, byte[] hash) {
    return pool.preparedQuery(DELETE_HASH).execute(Tuple.of(businessId, name, Buffer.buffer(hash))).mapEmpty();
  }
}
