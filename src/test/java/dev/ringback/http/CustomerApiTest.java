package dev.ringback.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringback.support.RingbackServer;
import dev.ringback.support.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /api/customers over HTTP with the bearer token, and every bad-input case. */
class CustomerApiTest {
  static TestDatabase db;
  static RingbackServer server;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    server = RingbackServer.start(db, null);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> api(String method, String path, String body) {
    return server.api(method, path, body == null ? null : "application/json", body);
  }

  static JsonObject json(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }

  @Test
  void createReadReplaceDelete() {
    HttpResponse<String> created = api("POST", "/api/customers",
        "{\"phone\":\"(415) 555-0140\",\"name\":\"Anna Schmidt\",\"tier\":\"vip\",\"language\":\"de-DE\","
            + "\"time_zone\":\"Europe/Berlin\",\"notes\":\"Prefers mornings\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).contains("/api/customers/+14155550140");
    assertThat(json(created).getString("phone")).isEqualTo("+14155550140");
    assertThat(json(created).getString("tier")).isEqualTo("vip");

    JsonObject read = json(api("GET", "/api/customers/%2B14155550140", null));
    assertThat(read.getString("name")).isEqualTo("Anna Schmidt");
    assertThat(read.getString("time_zone")).isEqualTo("Europe/Berlin");
    assertThat(read.getString("notes")).isEqualTo("Prefers mornings");

    HttpResponse<String> replaced = api("PUT", "/api/customers/+14155550140", "{\"name\":\"Anna S.\",\"tier\":\"standard\"}");
    assertThat(replaced.statusCode()).isEqualTo(200);
    assertThat(json(replaced).getString("name")).isEqualTo("Anna S.");
    assertThat(json(replaced).getString("notes")).isNull();
    assertThat(json(replaced).getLong("id")).isEqualTo(json(created).getLong("id"));

    assertThat(api("POST", "/api/customers", "{\"phone\":\"+14155550140\"}").statusCode()).isEqualTo(409);
    assertThat(api("DELETE", "/api/customers/+14155550140", null).statusCode()).isEqualTo(204);
    assertThat(api("GET", "/api/customers/+14155550140", null).statusCode()).isEqualTo(404);
    assertThat(api("DELETE", "/api/customers/+14155550140", null).statusCode()).isEqualTo(404);
  }

  @Test
  void putCreatesWhenAbsent() {
    HttpResponse<String> response = api("PUT", "/api/customers/+14155550141", "{\"name\":\"New\"}");
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(json(response).getString("tier")).isEqualTo("standard");
  }

  @Test
  void listPagesThroughEveryCustomerOnce() {
    for (int i = 0; i < 7; i++) {
      assertThat(api("PUT", "/api/customers/+1415555016" + i, "{\"name\":\"Pager " + i + "\"}").statusCode()).isEqualTo(201);
    }
    List<String> phones = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = json(api("GET", "/api/customers?limit=3" + (cursor == null ? "" : "&cursor=" + cursor), null));
      JsonArray items = page.getJsonArray("items");
      assertThat(items.size()).isLessThanOrEqualTo(3);
      items.forEach(item -> phones.add(((JsonObject) item).getString("phone")));
      cursor = page.getString("next_cursor");
      pages++;
    } while (cursor != null && pages < 100);
    assertThat(phones).doesNotHaveDuplicates();
    assertThat(phones).contains("+14155550160", "+14155550166");
    assertThat(phones).hasSize((int) db.count("SELECT count(*) FROM customers"));
  }

  @Test
  void importReportsAddedUpdatedAndRejectedRows() {
    api("PUT", "/api/customers/+14155550150", "{\"name\":\"Old Name\",\"notes\":\"keep me\"}");
    String csv = """
        phone,name,tier,language,time_zone,notes
        +14155550150,New Name,vip,,,
        "(415) 555-0151","Doe, Jane",standard,en-US,America/New_York,"says ""hi""\"
        12345,Bad Phone,standard,,,
        +14155550152,Bad Tier,gold,,,
        +14155550153,Bad Zone,standard,,Mars/Base,
        +14155550151,Duplicate,standard,,,
        +14155550154,Short row
        """;
    HttpResponse<String> response = server.api("POST", "/api/customers/import", "text/csv", csv);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject result = json(response);
    assertThat(result.getInteger("added")).isEqualTo(1);
    assertThat(result.getInteger("updated")).isEqualTo(1);
    JsonArray rejected = result.getJsonArray("rejected");
    assertThat(rejected).hasSize(5);
    assertThat(rejected.getJsonObject(0).getLong("line")).isEqualTo(4);
    assertThat(rejected.getJsonObject(0).getString("reason")).contains("phone").contains("12345");
    assertThat(rejected.getJsonObject(1).getString("reason")).startsWith("tier");
    assertThat(rejected.getJsonObject(2).getString("reason")).startsWith("time_zone");
    assertThat(rejected.getJsonObject(3).getString("reason")).contains("already on line 3");
    assertThat(rejected.getJsonObject(4).getString("reason")).contains("cells");

    JsonObject updated = json(api("GET", "/api/customers/+14155550150", null));
    assertThat(updated.getString("name")).isEqualTo("New Name");
    assertThat(updated.getString("tier")).isEqualTo("vip");
    assertThat(updated.getString("notes")).isEqualTo("keep me");
    JsonObject added = json(api("GET", "/api/customers/+14155550151", null));
    assertThat(added.getString("name")).isEqualTo("Doe, Jane");
    assertThat(added.getString("notes")).isEqualTo("says \"hi\"");
    assertThat(api("GET", "/api/customers/+14155550152", null).statusCode()).isEqualTo(404);
  }

  @Test
  void aPreviewSaysWhatTheImportWouldDoAndWritesNothing() {
    api("PUT", "/api/customers/+14155550155", "{\"name\":\"Old Name\",\"tier\":\"standard\",\"notes\":\"keep me\"}");
    api("PUT", "/api/customers/+14155550156", "{\"name\":\"Same Name\"}");
    String csv = """
        phone,name,tier,notes
        +14155550155,New Name,vip,
        (415) 555-0157,"Doe, Jane",,
        12345,Bad Phone,,
        +14155550156,Same Name,,
        +14155550157,Again,,
        """;
    String before = db.query("SELECT phone, name, tier, notes, updated_at FROM customers ORDER BY id").toString();
    long sequence = db.count("SELECT last_value FROM customers_id_seq");

    HttpResponse<String> response = server.api("POST", "/api/customers/import?preview=true", "text/csv", csv);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject preview = json(response);
    assertThat(preview.getBoolean("preview")).isTrue();
    assertThat(preview.getInteger("added")).isEqualTo(1);
    assertThat(preview.getInteger("updated")).isEqualTo(2);
    assertThat(preview.getLong("rejected_count")).isEqualTo(2);
    JsonObject added = preview.getJsonArray("added_rows").getJsonObject(0);
    assertThat(added.getLong("line")).isEqualTo(3);
    assertThat(added.getJsonObject("customer").getString("phone")).isEqualTo("+14155550157");
    assertThat(added.getJsonObject("customer").getString("name")).isEqualTo("Doe, Jane");
    assertThat(added.getJsonObject("customer").getString("tier")).isEqualTo("standard");
    JsonArray updates = preview.getJsonArray("updated_rows");
    assertThat(updates).hasSize(2);
    assertThat(updates.getJsonObject(0).getLong("line")).isEqualTo(2);
    assertThat(updates.getJsonObject(0).getString("name")).isEqualTo("Old Name");
    assertThat(updates.getJsonObject(0).getJsonArray("changes")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("field", "name").put("from", "Old Name").put("to", "New Name"))
        .add(new JsonObject().put("field", "tier").put("from", "standard").put("to", "vip")));
    assertThat(updates.getJsonObject(1).getLong("line")).isEqualTo(5);
    assertThat(updates.getJsonObject(1).getJsonArray("changes")).isEmpty();
    JsonArray rejected = preview.getJsonArray("rejected");
    assertThat(rejected.getJsonObject(0).getLong("line")).isEqualTo(4);
    assertThat(rejected.getJsonObject(0).getString("reason")).contains("12345");
    assertThat(rejected.getJsonObject(1).getLong("line")).isEqualTo(6);
    assertThat(rejected.getJsonObject(1).getString("reason")).isEqualTo("phone +14155550157 is already on line 3");

    // Nothing written: not a row, not a change, not even a number drawn from the sequence.
    assertThat(db.query("SELECT phone, name, tier, notes, updated_at FROM customers ORDER BY id").toString()).isEqualTo(before);
    assertThat(db.count("SELECT last_value FROM customers_id_seq")).isEqualTo(sequence);

    // The import of the same file does what the preview said.
    JsonObject imported = json(server.api("POST", "/api/customers/import?preview=false", "text/csv", csv));
    assertThat(imported.getInteger("added")).isEqualTo(1);
    assertThat(imported.getInteger("updated")).isEqualTo(2);
    assertThat(imported.getJsonArray("rejected")).isEqualTo(rejected);
    assertThat(json(api("GET", "/api/customers/+14155550155", null)).getString("tier")).isEqualTo("vip");
  }

  @Test
  void aPreviewRejectsAPhoneGivenInAnEarlierBatchAsTheImportDoes() throws SQLException {
    StringBuilder csv = new StringBuilder("phone,name\n");
    for (int i = 0; i < 520; i++) {
      csv.append("+1415556").append(String.format("%04d", i)).append(",Batch ").append(i).append('\n');
    }
    csv.append("+14155560003,Repeated\n");
    JsonObject preview = json(server.api("POST", "/api/customers/import?preview=true", "text/csv", csv.toString()));
    assertThat(preview.getInteger("added")).isEqualTo(520);
    assertThat(preview.getJsonArray("added_rows")).hasSize(520);
    assertThat(preview.getJsonArray("rejected")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("line", 522).put("reason", "phone +14155560003 is already on line 5")));
    assertThat(db.count("SELECT count(*) FROM customers WHERE phone LIKE '+1415556%'")).isZero();

    JsonObject imported = json(server.api("POST", "/api/customers/import", "text/csv", csv.toString()));
    assertThat(imported.getInteger("added")).isEqualTo(520);
    assertThat(imported.getJsonArray("rejected")).isEqualTo(preview.getJsonArray("rejected"));
    // The other tests page through every customer a few at a time.
    try (Connection conn = db.connect(); Statement statement = conn.createStatement()) {
      statement.executeUpdate("DELETE FROM customers WHERE phone LIKE '+1415556%'");
    }
  }

  @Test
  void aPreviewOfAFileItCannotReadIsRefusedAsTheImportIs() {
    HttpResponse<String> unknown = server.api("POST", "/api/customers/import?preview=true", "text/csv", "phone,email\n+14155550171,a@b.c\n");
    assertThat(unknown.statusCode()).isEqualTo(422);
    assertThat(json(unknown).getString("error")).contains("email");
    HttpResponse<String> empty = server.api("POST", "/api/customers/import?preview=true", "text/csv", "");
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(json(empty).getString("error")).isEqualTo("empty file");
    HttpResponse<String> yes = server.api("POST", "/api/customers/import?preview=yes", "text/csv", "phone\n+14155550172\n");
    assertThat(yes.statusCode()).isEqualTo(400);
    assertThat(json(yes).getString("error")).isEqualTo("preview: true or false");
    assertThat(api("GET", "/api/customers/+14155550172", null).statusCode()).isEqualTo(404);
  }

  @Test
  void importWithAnUnknownColumnChangesNothing() {
    long before = db.count("SELECT count(*) FROM customers");
    HttpResponse<String> response = server.api("POST", "/api/customers/import", "text/csv", "phone,email\n+14155550170,a@b.c\n");
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(json(response).getString("error")).contains("email");
    assertThat(db.count("SELECT count(*) FROM customers")).isEqualTo(before);
  }

  @Test
  void aSpreadsheetsSemicolonFileWithAByteOrderMarkImports() {
    // As Excel saves "CSV UTF-8" where the comma is the decimal mark: BOM, semicolons, CRLF.
    String csv = "\uFEFFphone;name;tier;notes\r\n"
        + "+14155550190;\"Weber; Jonas\";vip;Rechnung, bitte\r\n"
        + "+14155550191;Lena Vogel;;\r\n";
    HttpResponse<String> response = server.api("POST", "/api/customers/import", "text/csv; charset=utf-8", csv);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).getInteger("added")).isEqualTo(2);
    assertThat(json(response).getJsonArray("rejected")).isEmpty();
    JsonObject weber = json(api("GET", "/api/customers/+14155550190", null));
    assertThat(weber.getString("name")).isEqualTo("Weber; Jonas");
    assertThat(weber.getString("tier")).isEqualTo("vip");
    assertThat(weber.getString("notes")).isEqualTo("Rechnung, bitte");
    assertThat(json(api("GET", "/api/customers/+14155550191", null)).getString("name")).isEqualTo("Lena Vogel");
  }

  @Test
  void aCommaFileWithAByteOrderMarkImportsAndItsRejectionsKeepTheirLineNumbers() {
    String csv = "\uFEFFphone,name\n+14155550192,Ines Roth\n12345,Bad Phone\n";
    HttpResponse<String> response = server.api("POST", "/api/customers/import", "text/csv", csv);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response).getInteger("added")).isEqualTo(1);
    assertThat(json(response).getJsonArray("rejected").getJsonObject(0).getLong("line")).isEqualTo(3);
    assertThat(json(api("GET", "/api/customers/+14155550192", null)).getString("name")).isEqualTo("Ines Roth");
  }

  @Test
  void anEmptyFileIs400() {
    for (String empty : List.of("", "\uFEFF", "\r\n\n  \n")) {
      HttpResponse<String> response = server.api("POST", "/api/customers/import", "text/csv", empty);
      assertThat(response.statusCode()).as("'" + empty + "'").isEqualTo(400);
      assertThat(json(response).getString("error")).isEqualTo("empty file");
    }
  }

  @Test
  void aFileThatIsNotUtf8SaysSo() {
    byte[] latin1 = "phone,name\n+14155550193,Jos\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    HttpResponse<String> response = server.post("/api/customers/import",
        Map.of("Content-Type", "text/csv", "Authorization", "Bearer " + RingbackServer.API_TOKEN), latin1);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).getString("error")).contains("UTF-8");
    assertThat(api("GET", "/api/customers/+14155550193", null).statusCode()).isEqualTo(404);
  }

  @Test
  void theSampleFileImportsCleanly() {
    HttpResponse<String> sample = server.request("GET", "/api/customers/import/sample.csv", null, null, "Bearer " + RingbackServer.API_TOKEN);
    assertThat(sample.statusCode()).isEqualTo(200);
    assertThat(sample.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
    assertThat(sample.body()).startsWith("phone,name,tier,language,time_zone,notes");
    assertThat(server.request("GET", "/api/customers/import/sample.csv", null, null, null).statusCode()).isEqualTo(401);

    HttpResponse<String> imported = server.api("POST", "/api/customers/import", "text/csv", sample.body());
    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
    long rows = sample.body().lines().count() - 1;
    assertThat(json(imported).getInteger("added") + json(imported).getInteger("updated")).isEqualTo((int) rows);
    assertThat(json(imported).getJsonArray("rejected")).isEmpty();
  }

  // --- bad input ---

  @Test
  void withoutTheTokenIs401() {
    HttpResponse<String> none = server.request("GET", "/api/customers", null, null, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(json(none).getString("error")).isNotBlank();
    assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(server.request("GET", "/api/customers", null, null, "Bearer wrong-token").statusCode()).isEqualTo(401);
    assertThat(server.request("POST", "/api/customers", "application/json", "{\"phone\":\"+14155550180\"}", "Basic abc")
        .statusCode()).isEqualTo(401);
    assertThat(db.count("SELECT count(*) FROM customers WHERE phone = '+14155550180'")).isZero();
  }

  @Test
  void invalidPhoneIs422NamingTheField() {
    HttpResponse<String> response = api("POST", "/api/customers", "{\"phone\":\"123\",\"name\":\"X\"}");
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(json(response).getString("error")).startsWith("phone:");
    assertThat(api("GET", "/api/customers/not-a-number", null).statusCode()).isEqualTo(422);
    assertThat(api("POST", "/api/customers", "{\"name\":\"No Phone\"}").statusCode()).isEqualTo(422);
  }

  @Test
  void otherInvalidFieldsAre422NamingTheField() {
    assertThat(json(api("POST", "/api/customers", "{\"phone\":\"+14155550181\",\"tier\":\"gold\"}")).getString("error")).startsWith("tier:");
    assertThat(json(api("POST", "/api/customers", "{\"phone\":\"+14155550181\",\"nmae\":\"typo\"}")).getString("error")).startsWith("nmae:");
    assertThat(json(api("POST", "/api/customers", "{\"phone\":\"+14155550181\",\"name\":42}")).getString("error")).startsWith("name:");
    assertThat(json(api("POST", "/api/customers", "{\"phone\":\"+14155550181\",\"time_zone\":\"Nowhere\"}")).getString("error"))
        .startsWith("time_zone:");
    assertThat(api("POST", "/api/customers", "{\"phone\":\"+14155550181\",\"name\":\"" + "x".repeat(201) + "\"}").statusCode())
        .isEqualTo(422);
    assertThat(api("PUT", "/api/customers/+14155550181", "{\"phone\":\"+14155550182\"}").statusCode()).isEqualTo(422);
    assertThat(db.count("SELECT count(*) FROM customers WHERE phone IN ('+14155550181', '+14155550182')")).isZero();
  }

  @Test
  void malformedJsonIs400AndWrongContentTypeIs415() {
    HttpResponse<String> malformed = api("POST", "/api/customers", "{\"phone\": ");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(json(malformed).getString("error")).isNotBlank();
    assertThat(api("POST", "/api/customers", "[1, 2]").statusCode()).isEqualTo(400);
    assertThat(server.api("POST", "/api/customers", "text/plain", "{\"phone\":\"+14155550183\"}").statusCode()).isEqualTo(415);
    assertThat(server.api("POST", "/api/customers/import", "application/json", "{}").statusCode()).isEqualTo(415);
  }

  @Test
  void bodyOver64KiBIs413() {
    String big = "{\"phone\":\"+14155550184\",\"notes\":\"" + "x".repeat(70 * 1024) + "\"}";
    HttpResponse<String> response = api("POST", "/api/customers", big);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).getString("error")).isNotBlank();
  }

  @Test
  void badPagingParametersAre400() {
    assertThat(api("GET", "/api/customers?limit=0", null).statusCode()).isEqualTo(400);
    assertThat(api("GET", "/api/customers?limit=abc", null).statusCode()).isEqualTo(400);
    assertThat(api("GET", "/api/customers?cursor=zzz", null).statusCode()).isEqualTo(400);
  }

  @Test
  void unknownRoutesAndMethodsAreJson() {
    HttpResponse<String> missing = api("GET", "/api/nothing", null);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).getString("error")).isNotBlank();
    HttpResponse<String> method = api("PATCH", "/api/customers", "{}");
    assertThat(method.statusCode()).isEqualTo(405);
    assertThat(json(method).getString("error")).isNotBlank();
  }
}
