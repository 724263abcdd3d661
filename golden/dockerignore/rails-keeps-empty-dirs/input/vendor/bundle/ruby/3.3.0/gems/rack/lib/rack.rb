# rack
