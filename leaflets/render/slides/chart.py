"""A native column chart (its data in an embedded workbook), every bar labelled with its value."""

from __future__ import annotations

from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu, Pt

from leaflets.document import Slide, plain
from leaflets.render import deck_oxml as ox
from leaflets.render.slides.chrome import band_top, content_area, finish, write_title
from leaflets.render.slides.context import DeckContext, TextPiece

SINGLE = True  # never continues on another slide


def write(ctx: DeckContext, spec: Slide) -> None:
    chart_spec = spec.chart
    page = ctx.new_slide("Chart", spec.title)
    write_title(ctx, page, spec.title, tag=spec.investigational)
    bottom = band_top(ctx, page, spec)
    ph, box = content_area(page, bottom, PP_PLACEHOLDER.CHART)
    number_format = chart_spec.number_format or _percent_format(chart_spec.values)
    # The cells hold fractions in every locale (0.67, rounded: the data sheet and a presenter's
    # own chart agree whatever the language).  A locale whose percent sign is not "%" (Arabic ٪)
    # has a format that cannot multiply by 100: its cells take "0%" and each bar is labelled
    # with the document's own formatted value instead.
    scales = _scales_by_100(number_format)
    cell_format = number_format if scales else _percent_format(chart_spec.values)
    data = CategoryChartData(number_format=cell_format)
    data.categories = list(chart_spec.categories)
    data.add_series(chart_spec.series_name, [round(v / 100, 6) for v in chart_spec.values])
    if ph.placeholder_format.type == PP_PLACEHOLDER.CHART:
        frame = ph.insert_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, data)
        frame.height = Emu(box.cy)
    else:
        ox.remove(ph)
        frame = page.slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Emu(box.x), Emu(box.y), Emu(box.cx),
                                            Emu(box.cy), data)
    chart = frame.chart
    chart.has_legend = False
    shown_title = chart_spec.title and chart_spec.title != plain(spec.title)
    chart.has_title = bool(shown_title)
    if shown_title:
        ox.set_body(ox.text_body(chart.chart_title.text_frame), [ctx.paragraph(
            [TextPiece(chart_spec.title, bold=True)], size=ctx.sizes.chart.size, align="ctr")])
    else:
        ox.hide_chart_title(chart)
    chart.font.size = Pt(ctx.sizes.chart.size)
    value_axis = chart.value_axis
    value_axis.visible = False  # every bar carries its value: an axis would repeat it
    value_axis.has_major_gridlines = False
    value_axis.minimum_scale = 0.0
    value_axis.maximum_scale = max(1.0, max(chart_spec.values) / 100 * 1.2) if max(
        chart_spec.values) > 80 else None
    category_axis = chart.category_axis
    category_axis.tick_labels.font.size = Pt(ctx.sizes.chart.size)
    category_axis.has_major_gridlines = False
    if ctx.rtl:
        category_axis.reverse_order = True
    plot = chart.plots[0]
    plot.gap_width = 80
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = cell_format
    labels.number_format_is_linked = True
    labels.show_value = True
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(ctx.sizes.chart.size)
    labels.font.bold = True
    series = plot.series[0]
    if not scales:
        for index, text in enumerate(chart_spec.value_labels):
            label = series.points[index].data_label
            label.position = XL_LABEL_POSITION.OUTSIDE_END
            ox.set_body(ox.text_body(label.text_frame), [ctx.paragraph(
                [TextPiece(text, bold=True)], size=ctx.sizes.chart.size, align="ctr")])
    series.format.fill.solid()
    series.format.fill.fore_color.theme_color = MSO_THEME_COLOR.ACCENT_1
    if chart_spec.highlight:  # the bars that carry the message in the accent, the others muted
        for index in range(len(chart_spec.values)):
            if index not in chart_spec.highlight:
                fill = series.points[index].format.fill
                fill.solid()
                # a grey from the theme's text colour (an accent may be any hue: python-pptx's
                # accent3 is green); light, since the value label carries the number
                fill.fore_color.theme_color = MSO_THEME_COLOR.TEXT_1
                fill.fore_color.brightness = 0.75
    ox.finish_chart(chart, ctx.lang, ctx.fonts)
    alt = chart_spec.alt or _chart_alt(plain(spec.title), chart_spec)
    ox.set_alt_text(frame, alt, title=chart_spec.title or None)
    finish(ctx, page, spec)


def _percent_format(values) -> str:
    decimals = max((len(f"{v:g}".partition(".")[2]) for v in values), default=0)
    return "0%" if decimals == 0 else "0." + "0" * decimals + "%"


def _scales_by_100(number_format: str) -> bool:
    """Whether a spreadsheet format has a percent sign outside quotes (which multiplies by 100).

    >>> _scales_by_100('0%'), _scales_by_100('[$-2000401]0"٪"')
    (True, False)
    """
    quoted = False
    for ch in number_format:
        if ch == '"':
            quoted = not quoted
        elif ch == "%" and not quoted:
            return True
    return False


def _chart_alt(title: str, chart) -> str:
    pairs = "; ".join(f"{c}: {v}" for c, v in zip(chart.categories, chart.value_labels))
    return f"{chart.title or title}. {chart.series_name}: {pairs}"
