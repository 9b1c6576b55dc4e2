import HoneCore
import Hummingbird

/// The kinds of response the dashboard sends.
enum Responses {
  static func html(_ page: String, status: Int = 200) -> Response {
    body(page, type: "text/html; charset=utf-8", status: status)
  }

  static func json(_ value: JSONValue, status: Int = 200) -> Response {
    body(value.description, type: "application/json; charset=utf-8", status: status)
  }

  static func text(_ text: String, type: String = "text/plain; charset=utf-8", status: Int = 200) -> Response {
    body(text, type: type, status: status)
  }

  /// 303 See Other: where a form's browser goes after a write.
  static func redirect(to location: String) -> Response {
    Response(status: .seeOther, headers: [.location: location])
  }

  private static func body(_ text: String, type: String, status: Int) -> Response {
    Response(status: HTTPResponse.Status(code: status), headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
  }
}
