package report

// adviceByMetric is what the report recommends for each metric of the qd766
// scheme, in the plain words of a provincial office's report. A metric
// missing here (a new scheme) gets the generic sentence of advice.
var adviceByMetric = map[string]string{
	"PUBLISH_ON_TIME": "Đề nghị các cơ quan chủ trì rà soát, trình công bố danh mục thủ tục hành chính " +
		"đúng thời hạn, ngay khi văn bản quy định thủ tục được ban hành.",
	"PUBLIC_UPDATE_ON_TIME": "Đề nghị cập nhật, công khai kịp thời các thủ tục hành chính đã công bố lên " +
		"Cơ sở dữ liệu quốc gia về thủ tục hành chính và Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh.",
	"PUBLIC_CONTENT_FULL": "Đề nghị bổ sung đầy đủ nội dung công khai của từng thủ tục hành chính " +
		"(thành phần hồ sơ, thời hạn giải quyết, phí, lệ phí, mẫu đơn, tờ khai).",
	"DOSSIER_SYNC": "Đề nghị các đơn vị bảo đảm hồ sơ được đồng bộ đầy đủ, kịp thời từ Hệ thống thông tin " +
		"giải quyết thủ tục hành chính của tỉnh lên Cổng Dịch vụ công quốc gia.",
	"ON_TIME_PROCESSING": "Đề nghị các đơn vị theo dõi sát hồ sơ sắp đến hạn, hạn chế yêu cầu bổ sung hồ sơ " +
		"nhiều lần và thực hiện xin lỗi người dân, doanh nghiệp khi hồ sơ quá hạn.",
	"ONLINE_SERVICE_PROVISION": "Đề nghị rà soát, cung cấp dịch vụ công trực tuyến cho tất cả thủ tục hành chính " +
		"đủ điều kiện.",
	"ONLINE_SERVICE_USAGE": "Đề nghị hướng dẫn, khuyến khích người dân, doanh nghiệp sử dụng các dịch vụ công " +
		"trực tuyến chưa phát sinh hồ sơ.",
	"ONLINE_SUBMISSION": "Đề nghị các đơn vị hướng dẫn, hỗ trợ người dân, doanh nghiệp nộp hồ sơ trực tuyến, " +
		"kể cả ngay tại Bộ phận Một cửa, và tuyên truyền lợi ích của dịch vụ công trực tuyến.",
	"PAYMENT_FORMALITY_ENABLED": "Đề nghị triển khai thanh toán trực tuyến cho tất cả thủ tục hành chính có " +
		"nghĩa vụ tài chính.",
	"PAYMENT_FORMALITY_USED": "Đề nghị hướng dẫn người dân, doanh nghiệp thanh toán trực tuyến đối với các thủ " +
		"tục hành chính có nghĩa vụ tài chính chưa phát sinh giao dịch.",
	"ONLINE_PAYMENT_DOSSIERS": "Đề nghị hướng dẫn người dân, doanh nghiệp nộp phí, lệ phí trực tuyến, " +
		"kể cả đối với hồ sơ nộp trực tiếp.",
	"ORIGINAL_RESULT_AVAILABLE": "Đề nghị cấp kết quả giải quyết thủ tục hành chính bản điện tử cho tất cả " +
		"hồ sơ có kết quả.",
	"SO_HOA_GIAY_TO_GIAI_QUYET": "Đề nghị thực hiện số hóa hồ sơ, giấy tờ ngay khi tiếp nhận và số hóa kết quả " +
		"giải quyết theo quy định.",
	"REUSED_DIGITIZED_DATA": "Đề nghị khai thác, sử dụng lại dữ liệu đã số hóa, không yêu cầu người dân, " +
		"doanh nghiệp nộp lại giấy tờ đã có.",
	"SYNCED_WITH_DVCQG_PERSONAL_STORAGE": "Đề nghị kết nối, chia sẻ kết quả số hóa vào kho dữ liệu của người " +
		"dân, doanh nghiệp trên Cổng Dịch vụ công quốc gia để tái sử dụng.",
	"CITIZEN_DATA_CONNECTED_DOSSIER": "Đề nghị khai thác thông tin từ Cơ sở dữ liệu quốc gia về dân cư khi " +
		"tiếp nhận, giải quyết hồ sơ.",
	"CITIZEN_DATA_CONNECTED_FORMALITY": "Đề nghị triển khai kết nối, chia sẻ dữ liệu dân cư cho các thủ tục " +
		"hành chính có đối tượng thực hiện là cá nhân.",
	"ELECTRONIC_CERTIFIED_COPY": "Đề nghị triển khai dịch vụ chứng thực bản sao điện tử từ bản chính.",
	"PETITION_PROCESSING_ON_TIME": "Đề nghị tiếp nhận, xử lý phản ánh, kiến nghị của người dân, doanh nghiệp " +
		"đúng thời hạn.",
	"PETITION_HANDLING_SATISFACTION": "Đề nghị nâng cao chất lượng trả lời phản ánh, kiến nghị của người dân, " +
		"doanh nghiệp.",
	"DOSSIER_RECEIVING_SATISFACTION": "Đề nghị nâng cao thái độ phục vụ và giải quyết hồ sơ đúng hạn để tăng " +
		"mức độ hài lòng của người dân, doanh nghiệp.",
}

// advice returns the recommendation for a metric.
func advice(code, name string) string {
	if a, ok := adviceByMetric[code]; ok {
		return a
	}
	return "Đề nghị các đơn vị tập trung cải thiện chỉ số “" + name + "”."
}
