/// The frame every IonLink HTML page shares: one self-contained document, inline style, no fetches.
enum HTMLPage {
    static func document(title: String, body: String, script: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(SVGPlot.escape(title))</title>
        <style>
        body { font-family: sans-serif; margin: 24px; color: #222; }
        table { border-collapse: collapse; margin: 16px 0; } td, th { padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: left; }
        figure { display: inline-block; margin: 8px; } svg text { font-size: 12px; } svg text.title { font-size: 14px; font-weight: bold; }
        </style></head>
        <body>
        <h1>\(SVGPlot.escape(title))</h1>
        \(body)\(script.isEmpty ? "" : "<script>\n\(script)</script>\n")</body></html>

        """
    }
}
