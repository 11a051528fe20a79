using System.Globalization;
using System.Net;
using System.Text;
using NeuralFit.Persistence;
using NeuralFit.Reports.Plots;

namespace NeuralFit.Reports.Html;

/// <summary>
/// The page around every report: plain HTML and inline CSS, no scripts from elsewhere, images beside it, so the
/// folder can be opened from disk, mailed or archived as it is. A few lines of script check that every plot
/// loaded, mark the page with the count (data-images-loaded="5/5", which the tests read) and warn if one did not.
/// </summary>
static class Page
{
    public static string Escape(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Number(double v) =>
        !double.IsFinite(v) ? "—" : v == 0 ? "0" : Math.Abs(v) < 1e-3 || Math.Abs(v) >= 1e5
            ? v.ToString("0.00e+00", CultureInfo.InvariantCulture) : v.ToString("G4", CultureInfo.InvariantCulture);

    public static string Render(string title, string body)
    {
        var s = new StringBuilder();
        s.AppendLine("<!DOCTYPE html>");
        s.AppendLine("<html lang=\"en\">");
        s.AppendLine("<head>");
        s.AppendLine("<meta charset=\"utf-8\">");
        s.AppendLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        s.AppendLine($"<meta name=\"generator\" content=\"{Escape(SavedModel.Producer)}\">");
        s.AppendLine($"<title>{Escape(title)}</title>");
        s.AppendLine("<style>");
        s.AppendLine(Css);
        s.AppendLine("</style>");
        s.AppendLine("</head>");
        s.AppendLine("<body>");
        s.AppendLine("<p id=\"image-warning\" class=\"warning\" hidden></p>");
        s.AppendLine($"<h1>{Escape(title)}</h1>");
        s.Append(body);
        s.AppendLine($"<footer>Written by {Escape(SavedModel.Producer)} on {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC. Every plot is also in SVG beside this page.</footer>");
        s.AppendLine(ImageCheck);
        s.AppendLine("</body>");
        s.AppendLine("</html>");
        return s.ToString();
    }

    public static string Figure(Figure f, string cssClass = "plot") =>
        $"<figure class=\"{cssClass}\"><img src=\"{Escape(f.Png)}\" alt=\"{Escape(f.Title)}\"><figcaption><b>{Escape(f.Title)}.</b> {Escape(f.Caption)} <a href=\"{Escape(f.Svg)}\">SVG</a></figcaption></figure>\n";

    public static string Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, string cssClass = "")
    {
        var s = new StringBuilder();
        s.Append($"<table class=\"{cssClass}\"><thead><tr>");
        foreach (var h in header) s.Append($"<th>{Escape(h)}</th>");
        s.AppendLine("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            s.Append("<tr>");
            foreach (var cell in row) s.Append($"<td>{cell}</td>"); // cells arrive escaped: some carry markup
            s.AppendLine("</tr>");
        }
        s.AppendLine("</tbody></table>");
        return s.ToString();
    }

    const string Css = """
        body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1180px; padding: 0 1em; color: #222; line-height: 1.45; }
        h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
        table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
        th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
        th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .verdict { font-size: 1.1em; padding: 0.5em 0.8em; border-radius: 4px; display: inline-block; }
        .good { background: #e3f4e3; color: #185c18; } .bad { background: #fbe3e3; color: #8a1616; } .meh { background: #fff3d6; color: #6b4b00; }
        .error { color: #b00; font-weight: bold; } .warning { color: #9a6200; font-weight: bold; } .info { color: #246; }
        .plots { display: flex; flex-wrap: wrap; gap: 1em; }
        figure { margin: 0; } figure.plot img { width: 560px; max-width: 100%; border: 1px solid #eee; }
        figure.thumb img { width: 380px; max-width: 100%; border: 1px solid #eee; }
        figcaption { font-size: 0.85em; color: #555; max-width: 560px; }
        code, .mono { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 0.9em; overflow-wrap: anywhere; }
        ol.chain li { margin-bottom: 0.4em; } .given { font-weight: bold; }
        footer { margin-top: 3em; font-size: 0.8em; color: #777; }
        """;

    const string ImageCheck = """
        <script>
        window.addEventListener("load", function () {
          var images = Array.prototype.slice.call(document.images);
          var loaded = images.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length;
          document.body.setAttribute("data-images-loaded", loaded + "/" + images.length);
          if (loaded < images.length) {
            var w = document.getElementById("image-warning");
            w.textContent = (images.length - loaded) + " of " + images.length + " plots did not load: keep the PNG files beside index.html.";
            w.hidden = false;
          }
        });
        </script>
        """;
}
